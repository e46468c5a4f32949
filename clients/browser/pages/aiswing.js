// The "JavaScript Streaming Example" of the aiswing gateway's Streaming Image API page
// (https://img.gohok.top/docs.html, section "SSE Streaming Events"), as a page would run it.
// Verbatim but for three substitutions, so Tapedeck can point it at a scenario: the endpoint,
// the API key and the request body come from the page's argument.
async function page({ endpoint, apiKey, body }) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "Authorization": `Bearer ${apiKey}`,
      "Content-Type": "application/json",
      "Accept": "text/event-stream"
    },
    body: JSON.stringify(body)
  });

  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const chunks = buffer.split("\n\n");
    buffer = chunks.pop() || "";
    for (const chunk of chunks) {
      const line = chunk.split("\n").find((x) => x.startsWith("data:"));
      if (!line) continue;
      const raw = line.slice(5).trim();
      if (raw === "[DONE]") break;
      const event = JSON.parse(raw);
      const b64 = event.b64_json || event.partial_image_b64 || event.response?.output?.find?.((x) => x.result)?.result;
      if (b64) document.querySelector("img").src = `data:image/png;base64,${b64}`;
    }
  }
}
