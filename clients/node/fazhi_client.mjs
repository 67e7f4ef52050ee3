#!/usr/bin/env node
// A county system calling fazhi from Node.js: API key, TLS checked against a
// CA file, a streamed import with per-row results, a year's study summary,
// the report's DOCX, paging to the end, and errors with their field
// violations.
//
//   node fazhi_client.mjs import  --org=ORG --file=sessions.jsonl [--batch=500]
//   node fazhi_client.mjs summary --org=ORG --year=2024
//   node fazhi_client.mjs list    --org=ORG --year=2024 [--page_size=50]
//   node fazhi_client.mjs compose --org=ORG --year=2024 --out=report.docx
//
// Connection (every command): --study=HOST:PORT, --gateway=HOST:PORT (or
// $FAZHI_STUDY_TARGET, $FAZHI_GATEWAY_TARGET), the API key in $FAZHI_API_KEY
// or --api_key_file=FILE, and --ca_file=PEM (the CA that signed the server's
// certificate) or --plaintext for a development server on loopback.
// --protos=DIR and --googleapis=DIR say where the .proto files are.

import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const DEADLINE_MS = 120_000;
const here = dirname(fileURLToPath(import.meta.url));

const { positionals: [command], values: flags } = parseArgs({
  allowPositionals: true,
  options: Object.fromEntries(
    ['study', 'gateway', 'api_key_file', 'ca_file', 'org', 'year', 'file', 'batch', 'page_size',
      'out', 'protos', 'googleapis'].map((name) => [name, { type: 'string' }])
      .concat([['plaintext', { type: 'boolean' }]])),
});

// The .proto files, loaded at run time; messages are plain objects with
// lowerCamelCase fields (the proto3 JSON names), enums by name.
const definitions = protoLoader.loadSync(
  ['fazhi/study/v1/study.proto', 'fazhi/gateway/v1/gateway.proto',
    'google/rpc/status.proto', 'google/rpc/error_details.proto'],
  {
    includeDirs: [
      flags.protos ?? process.env.FAZHI_PROTOS ?? join(here, '..', '..', 'protos'),
      flags.googleapis ?? process.env.FAZHI_GOOGLEAPIS
        ?? '/usr/share/gocode/src/github.com/gogo/googleapis',
    ],
    longs: Number,
    enums: String,
    defaults: true,
  });
const api = grpc.loadPackageDefinition(definitions);

// --- Connection: TLS (or plaintext on loopback) and the API key on every call.

function channelCredentials() {
  if (flags.plaintext) return grpc.credentials.createInsecure();
  const ca = flags.ca_file ?? process.env.FAZHI_CA_FILE;
  // Without a CA file: Node's trusted roots.
  return grpc.credentials.createSsl(ca ? readFileSync(ca) : null);
}

function apiKeyMetadata() {
  const key = flags.api_key_file ? readFileSync(flags.api_key_file, 'utf8')
    : process.env.FAZHI_API_KEY;
  if (!key?.trim()) throw new Error('no API key: set FAZHI_API_KEY or --api_key_file');
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${key.trim()}`);
  return metadata;
}

function client(Service, name) {
  const target = flags[name] ?? process.env[`FAZHI_${name.toUpperCase()}_TARGET`];
  if (!target) throw new Error(`no address: --${name}=HOST:PORT`);
  return new Service(target, channelCredentials());
}

const metadata = apiKeyMetadata();
const deadline = () => ({ deadline: Date.now() + DEADLINE_MS });
const org = () => `orgs/${required('org')}`;

// A unary call as a promise.
function call(stub, method, request) {
  return new Promise((resolve, reject) => {
    stub[method](request, metadata, deadline(),
      (error, reply) => (error ? reject(error) : resolve(reply)));
  });
}

// --- import: one client stream, a message per batch; every rejected row printed.

async function importSessions() {
  const batchSize = Number(flags.batch ?? 500);
  const stub = client(api.fazhi.study.v1.StudyService, 'study');
  let stream;
  const done = new Promise((resolve, reject) => {
    stream = stub.importSessions(metadata, deadline(),
      (error, reply) => (error ? reject(error) : resolve(reply)));
  });
  // The first message names the organization and the options; upsert by
  // external id makes a second run of the same file change nothing.
  let batch = { parent: org(), mode: 'IMPORT_MODE_UPSERT', sessions: [] };
  const lines = createInterface({
    input: createReadStream(required('file'), 'utf8'), crlfDelay: Infinity,
  });
  for await (const line of lines) {
    if (!line.trim()) continue;
    batch.sessions.push(JSON.parse(line));
    if (batch.sessions.length === batchSize) {
      stream.write(batch);
      batch = { sessions: [] };
    }
  }
  if (batch.sessions.length > 0) stream.write(batch);
  stream.end();
  const report = await done;
  for (const row of report.results) {
    if (row.code === 0) continue;
    console.log(`row ${row.row} (external id ${row.externalId}): `
      + `${grpc.status[row.code]}: ${row.message}`);
    for (const field of row.fieldErrors) {
      console.log(`  field ${field.field}: ${field.description}`);
    }
  }
  console.log(`imported: ${report.rowsReceived} received, ${report.rowsStored} stored, `
    + `${report.rowsRejected} rejected in ${report.batchesReceived} batches`);
}

// --- summary: the year's study facts.

async function summary() {
  const stub = client(api.fazhi.study.v1.StudyService, 'study');
  const s = await call(stub, 'getStudySummary', { org: org(), year: Number(required('year')) });
  console.log(`summary ${s.org} ${s.year}: ${s.totalSessions} sessions, ${s.totalMinutes} minutes, `
    + `${s.attendances} attendances, head attended ${s.headAttendedSessions}`);
  for (const kind of s.byKind) {
    console.log(`  ${kind.kind}: ${kind.sessions} sessions, ${kind.minutes} minutes`);
  }
}

// --- list: every page until nextPageToken is empty.

async function list() {
  const stub = client(api.fazhi.study.v1.StudyService, 'study');
  const request = {
    parent: org(), year: Number(flags.year ?? 0), pageSize: Number(flags.page_size ?? 50),
  };
  let pages = 0;
  let sessions = 0;
  do {
    const page = await call(stub, 'listSessions', request);
    pages += 1;
    for (const session of page.sessions) {
      sessions += 1;
      const { year, month, day } = session.date;
      const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      console.log(`session ${session.name} ${date} ${session.title}`);
    }
    console.log(`page ${pages}: ${page.sessions.length} sessions`);
    request.pageToken = page.nextPageToken;
  } while (request.pageToken);
  console.log(`listed ${sessions} sessions in ${pages} pages`);
}

// --- compose: the gateway composes the report; the DOCX is saved after its
// SHA-256 is checked.

async function compose() {
  const stub = client(api.fazhi.gateway.v1.AnnualReportService, 'gateway');
  const report = await call(stub, 'composeReport',
    { org: org(), year: Number(required('year')), formats: ['docx'] });
  const [docx] = report.renderings;
  const sha256 = createHash('sha256').update(docx.content).digest('hex');
  if (sha256 !== docx.sha256) {
    throw new Error(`the DOCX's SHA-256 is ${sha256}, the gateway said ${docx.sha256}`);
  }
  writeFileSync(required('out'), docx.content);
  console.log(`report ${report.report}: ${report.title}`);
  console.log(`saved ${flags.out}: ${docx.content.length} bytes, sha256 ${sha256}`);
}

// --- errors: the status code, and each field the server named in the
// google.rpc.BadRequest inside grpc-status-details-bin.

function printError(error) {
  console.log(`error: ${grpc.status[error.code]}: ${error.details}`);
  const [bytes] = error.metadata?.get('grpc-status-details-bin') ?? [];
  if (!bytes) return;
  // protobufjs's own google.protobuf.Any keeps its proto field names.
  const status = definitions['google.rpc.Status'].deserialize(bytes);
  for (const detail of status.details) {
    if (detail.type_url !== 'type.googleapis.com/google.rpc.BadRequest') continue;
    const badRequest = definitions['google.rpc.BadRequest'].deserialize(detail.value);
    for (const v of badRequest.fieldViolations) {
      console.log(`  violation ${v.field}: ${v.description}`);
    }
  }
}

function required(name) {
  if (flags[name] === undefined) throw new Error(`missing --${name}`);
  return flags[name];
}

const commands = { import: importSessions, summary, list, compose };
if (!commands[command]) {
  console.error('usage: fazhi_client.mjs import|summary|list|compose --flag=value...');
  process.exit(2);
}
try {
  await commands[command]();
  process.exit(0);
} catch (error) {
  if (error.code === undefined || error.metadata === undefined) throw error;
  printError(error);
  process.exit(1);
}
