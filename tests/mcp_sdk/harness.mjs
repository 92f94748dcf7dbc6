// What every SDK test needs: the pinned SDK (installed in the build tree by
// scripts/install-mcp-sdk.sh; its folder is TG_MCP_SDK_DIR), a fresh graph per test, and a
// connected client for a `tg mcp` process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const TG = process.env.TG_BIN;
const sdkDir = process.env.TG_MCP_SDK_DIR;
if (!TG || !sdkDir) throw new Error('run through tests/mcp_sdk/run.sh (TG_BIN, TG_MCP_SDK_DIR)');

// The SDK lives in the build tree, not beside this file, so it is resolved from there.
const requireSdk = createRequire(join(sdkDir, 'package.json'));
const load = (p) => import(pathToFileURL(requireSdk.resolve(p)).href);
const { Client } = await load('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = await load('@modelcontextprotocol/sdk/client/stdio.js');
const types = await load('@modelcontextprotocol/sdk/types.js');
export const { McpError, ErrorCode, LATEST_PROTOCOL_VERSION } = types;
export const SDK_VERSION = JSON.parse(
  readFileSync(join(sdkDir, 'node_modules/@modelcontextprotocol/sdk/package.json'), 'utf8')).version;

// A private graph: its own folder, HOME and TMPDIR inside it, TG_DIR pointing at it.
export class Sandbox {
  constructor() {
    this.root = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'tg-sdk-'));
    for (const d of ['home', 'tmp']) mkdirSync(join(this.root, d));
    this.env = {
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: join(this.root, 'home'),
      TMPDIR: join(this.root, 'tmp'),
      TZ: 'UTC',
      TG_DIR: this.root,
    };
    this.tg('init');
  }
  // Runs the CLI; returns its parsed --json output.
  tg(...args) {
    const r = spawnSync(TG, [...args, '--json'], { env: this.env, cwd: this.root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tg ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  }
  plan(title) { return this.tg('plan', 'new', title).hash_id; }
  task(plan, title) { return this.tg('task', 'new', title, '--plan', plan).hash_id; }
  async connect({ agent, env = {} } = {}) {
    const args = ['mcp', ...(agent ? ['--agent', agent] : [])];
    const transport = new StdioClientTransport({
      command: TG, args, env: { ...this.env, ...env }, cwd: this.root, stderr: 'pipe',
    });
    const client = new Client({ name: 'tg-sdk-test', version: '1.0.0' });
    await client.connect(transport);
    // Listing the tools makes the client validate every structuredContent against its
    // tool's outputSchema from here on, refusals included.
    client.tools = (await client.listTools()).tools;
    return client;
  }
  remove() { rmSync(this.root, { recursive: true, force: true }); }
}

// Runs fn(sandbox) and always removes the sandbox and closes the clients it registered.
export async function withSandbox(fn) {
  const sb = new Sandbox();
  const clients = [];
  const connect = async (o) => { const c = await sb.connect(o); clients.push(c); return c; };
  try {
    return await fn(sb, connect);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    sb.remove();
  }
}
