// A careful page: fetch, a status check, an event-stream parser that follows WHATWG's rules
// (CR, LF and CRLF line ends, a BOM, comments, multi-line data, dispatch on a blank line only),
// errors and response.failed reported, an image shown only from the events that carry one and a
// final one only once it decodes, and a stream that ends before its terminal event reported.
async function page({ endpoint, apiKey, body }) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "Authorization": `Bearer ${apiKey}`, "Content-Type": "application/json", "Accept": "text/event-stream" },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const error = new Error(`HTTP ${response.status}: ${await response.text()}`);
    error.status = response.status;
    throw error;
  }
  const img = document.querySelector("img");
  const show = (b64) => { img.src = `data:image/png;base64,${b64}`; };
  // A final image is shown only once the browser decoded it whole.
  const showWhole = async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    try {
      await createImageBitmap(new Blob([bytes]));
    } catch (error) {
      throw new Error(`the final image does not decode (${bytes.length} bytes): ${error.message}`);
    }
    show(b64);
  };
  let finished = false;
  const handle = async (data) => {
    if (data.startsWith("[DONE]")) { finished = true; return; }
    const event = JSON.parse(data);
    switch (event.type) {
      case "image_generation.partial_image":
      case "image_edit.partial_image":
        show(event.b64_json); break;
      case "response.image_generation_call.partial_image":
        show(event.partial_image_b64); break;
      case "image_generation.completed":
      case "image_edit.completed":
        await showWhole(event.b64_json); finished = true; break;
      case "response.output_item.done":
        if (event.item?.type === "image_generation_call" && event.item.result) await showWhole(event.item.result);
        break;
      case "error":
        throw new Error(`error event: ${event.error?.message ?? event.message ?? data}`);
      case "response.failed":
        throw new Error(`response.failed: ${event.response?.error?.message ?? "no reason given"}`);
      case "response.completed":
        finished = true; break;
    }
  };
  // WHATWG HTML §9.2.6: lines end at CR, LF or CRLF; a blank line dispatches the data.
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "", data = [], first = true, pendingCR = false;
  const line = async (l) => {
    if (l === "") { if (data.length) { const joined = data.join("\n"); data = []; await handle(joined); } return; }
    if (l.startsWith(":")) return;
    const colon = l.indexOf(":");
    const field = colon < 0 ? l : l.slice(0, colon);
    let value = colon < 0 ? "" : l.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
  };
  while (true) {
    const { value, done } = await reader.read();
    text += decoder.decode(value ?? new Uint8Array(), { stream: !done });
    if (first && text.length) { if (text.charCodeAt(0) === 0xFEFF) text = text.slice(1); first = false; }
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (pendingCR) { pendingCR = false; if (c === "\n") { start = i + 1; continue; } }
      if (c === "\r" || c === "\n") {
        await line(text.slice(start, i));
        if (c === "\r") pendingCR = true;
        start = i + 1;
      }
    }
    text = text.slice(start);
    if (done) break;
  }
  if (!finished) throw new Error("the stream ended before its final event");
}
