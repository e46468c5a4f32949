// Node's built-in fetch and a hand-rolled event splitter, the way gateway documentation shows
// it: `response.body.getReader()`, a TextDecoder, split the text on "\n\n", keep the lines
// that start with "data: ", stop at "[DONE]", JSON.parse the rest. No npm packages.
//
// Command mode: `node clients/node/fetch_client.mjs` with the TAPEDECK_* variables set.
// Service mode: the same with TAPEDECK_SERVICE=1 (docs/client-contract.md).
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';

const NAME = 'node-fetch-splitter';
const CAPABILITIES = ['images.generate', 'images.edit', 'responses', 'json'];
const IMAGE_FINALS = new Set(['image_generation.completed', 'image_edit.completed']);
const INDEX_FIELDS = ['partial_image_index', 'output_index', 'sequence_number'];

class HttpError extends Error {
  constructor(status, body) {
    super(`HTTP error! status: ${status}: ${body}`);
    this.status = status;
  }
}

// Writes events.jsonl, partial-N.EXT, final-N.EXT and error.json into the scenario's output folder.
class Observations {
  constructor(output) {
    mkdirSync(output, { recursive: true });
    this.output = output;
    this.started = performance.now();
    this.finalCount = 0;
    this.partialCount = 0;
    // Written line by line, so a client killed at its timeout leaves what it surfaced.
    this.events = openSync(join(output, 'events.jsonl'), 'w');
  }

  elapsed() {
    return Math.round(performance.now() - this.started) / 1000;
  }

  event(payload) {
    const record = { type: payload?.type ?? null };
    for (const field of INDEX_FIELDS) if (payload && field in payload) record[field] = payload[field];
    const usage = payload?.usage ?? payload?.response?.usage;
    if (usage) record.usage = usage;
    record.t = this.elapsed();
    writeSync(this.events, JSON.stringify(record) + '\n');
  }

  partialImage(bytes, format) {
    writeFileSync(join(this.output, `partial-${this.partialCount++}.${format}`), bytes);
  }

  finalImage(bytes, format) {
    writeFileSync(join(this.output, `final-${this.finalCount++}.${format}`), bytes);
  }

  finalUrl(url) {
    writeFileSync(join(this.output, `final-${this.finalCount++}.url`), url);
  }

  error(message, status) {
    const record = status === undefined ? { message } : { message, status };
    writeFileSync(join(this.output, 'error.json'), JSON.stringify(record));
  }

  close() {
    closeSync(this.events);
  }
}

function imageFormat(request) {
  const body = request.body ?? {};
  const tool = (body.tools ?? []).find((t) => t?.type === 'image_generation' && t.output_format);
  return tool?.output_format ?? body.output_format ?? 'png';
}

async function send(scenario) {
  const { request } = scenario;
  const init = { method: request.method ?? 'POST', headers: { Authorization: `Bearer ${scenario.apiKey}` } };
  if (request.surface === 'images.edit') {
    const form = new FormData();
    for (const [name, value] of Object.entries(request.body ?? {})) form.append(name, String(value));
    for (const file of request.files ?? []) {
      form.append(file.field, new Blob([readFileSync(file.path)], { type: file.content_type }), basename(file.path));
    }
    init.body = form;
  } else {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(request.body);
  }
  const response = await fetch(scenario.baseUrl + request.path, init);
  if (!response.ok) throw new HttpError(response.status, await response.text());
  return response;
}

// Events that carry a preview, and the field it is in.
const IMAGE_PARTIALS = new Map([
  ['image_generation.partial_image', 'b64_json'],
  ['image_edit.partial_image', 'b64_json'],
  ['response.image_generation_call.partial_image', 'partial_image_b64'],
]);

function handle(payload, request, observations) {
  observations.event(payload);
  const previewField = IMAGE_PARTIALS.get(payload.type);
  if (previewField && payload[previewField]) {
    observations.partialImage(Buffer.from(payload[previewField], 'base64'), payload.output_format ?? imageFormat(request));
  } else if (IMAGE_FINALS.has(payload.type)) {
    observations.finalImage(Buffer.from(payload.b64_json, 'base64'), payload.output_format ?? imageFormat(request));
  } else if (payload.type === 'response.output_item.done' && payload.item.type === 'image_generation_call' && payload.item.result) {
    observations.finalImage(Buffer.from(payload.item.result, 'base64'), payload.item.output_format ?? imageFormat(request));
  }
}

async function readStream(response, request, observations) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const parts = buffer.split('\n\n');
    buffer = parts.pop();
    for (const part of parts) {
      for (const line of part.split('\n')) {
        if (!line.startsWith('data: ')) continue;
        const data = line.slice(6);
        if (data === '[DONE]') return;
        handle(JSON.parse(data), request, observations);
      }
    }
  }
}

function readBody(body, request, observations) {
  for (const image of body.data ?? []) {
    if (image.b64_json != null) observations.finalImage(Buffer.from(image.b64_json, 'base64'), body.output_format ?? imageFormat(request));
    else if (image.url != null) observations.finalUrl(image.url);
  }
  for (const item of body.output ?? []) {
    if (item.type === 'image_generation_call' && item.result) {
      observations.finalImage(Buffer.from(item.result, 'base64'), item.output_format ?? imageFormat(request));
    }
  }
}

// Runs one scenario and returns the exit status the contract asks for.
async function runScenario(scenario) {
  const observations = new Observations(scenario.output);
  try {
    const response = await send(scenario);
    if (scenario.request.stream) await readStream(response, scenario.request, observations);
    else readBody(await response.json(), scenario.request, observations);
    return 0;
  } catch (error) {
    console.error(error);
    observations.error(`${error.name}: ${error.message}`, error.status);
    return 1;
  } finally {
    observations.close();
  }
}

function scenarioFrom(baseUrl, apiKey, requestPath, output) {
  const request = JSON.parse(readFileSync(requestPath, 'utf8'));
  return { baseUrl: baseUrl.replace(/\/$/, ''), apiKey, request, output };
}

async function serve() {
  const write = (message) => process.stdout.write(JSON.stringify(message) + '\n');
  // Only protocol lines may reach standard output.
  console.log = console.error;
  write({ tapedeck: 'client/1', name: NAME, version: process.versions.node, capabilities: CAPABILITIES });
  for await (const line of createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    const message = JSON.parse(line);
    let status;
    try {
      status = await runScenario(scenarioFrom(message.base_url, message.api_key ?? 'sk-tapedeck-dummy', message.request, message.output));
    } catch (error) {
      console.error(error);
      status = 2;
    }
    write({ id: message.id, exit: status });
  }
}

if (process.env.TAPEDECK_SERVICE === '1') {
  await serve();
  process.exit(0);
} else {
  const env = process.env;
  const scenario = scenarioFrom(env.TAPEDECK_BASE_URL, env.OPENAI_API_KEY ?? 'sk-tapedeck-dummy', env.TAPEDECK_REQUEST, env.TAPEDECK_OUTPUT);
  process.exit(await runScenario(scenario));
}
