// The governance benchmark's fixture: starts the built gateway once on a store (an embedded data directory, or
// a PostgreSQL schema + Redis prefix), fills it through the admin API with many virtual keys that each carry
// a request limit, a token limit and a budget (and a budget on their workspace), and stops it again.
import { spawn } from 'node:child_process';
import { gatewayEntry, root } from './harness.mjs';

/** Far above anything a benchmark run reaches, so no request is ever refused: we measure the checks only. */
const unreachableRequests = 1_000_000_000;
const unreachableTokens = 1_000_000_000_000;
/** One million dollars, in micro-dollars. */
const unreachableMicros = 1_000_000_000_000;
const adminConcurrency = 8;

/**
 * The process environment with every `SWITCHYARD_*` variable of the caller removed (a stray one would change
 * the gateway under test), plus `extra`.
 */
export function gatewayEnvironment(extra) {
  const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SWITCHYARD_')));
  return { ...environment, NODE_ENV: 'production', SWITCHYARD_LOG_LEVEL: 'warn', ...extra };
}

/** Starts `node dist/cli/main.js start --port 0` and resolves with its URL once it listens. */
export function startGateway(environment) {
  const child = spawn(process.execPath, [gatewayEntry, 'start', '--port', '0'], { cwd: root, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk.toString();
      const match = /Switchyard listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  });
  return listening.then(
    (url) => ({
      url,
      /** What the gateway printed so far (its banner holds no secret: the master key comes from the environment). */
      output: () => output,
      async stop() {
        child.kill('SIGTERM');
        const { code } = await exited;
        if (code !== 0) throw new Error(`the gateway stopped with code ${code}:\n${output}`);
      },
    }),
    (error) => {
      child.kill('SIGKILL');
      throw error;
    },
  );
}

async function admin(url, masterKey, method, path, body) {
  const response = await fetch(`${url}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${masterKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (response.status !== 201 && response.status !== 200) {
    throw new Error(`${method} /admin/v1${path} answered ${response.status}: ${JSON.stringify(answer.error ?? answer)}`);
  }
  return answer;
}

/** Runs `work(index)` for 0..count-1, at most `concurrency` at a time, in order of start. */
async function forEachConcurrently(count, concurrency, work) {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * Fills a running gateway: `workspaces` workspaces with `teamsPerWorkspace` teams each and a monthly budget
 * each, then `keys` virtual keys spread over them, each with a requests-per-minute limit, a tokens-per-minute
 * limit and a monthly budget of its own. So a request of any key checks 2 limits and reserves on 2 budgets.
 * Returns the secret of one key (the one numbered last), the secret of one more key in a workspace of its own
 * with no limit or budget anywhere (`plainSecret`), and what was created.
 */
export async function seedGovernance(url, masterKey, { keys = 1000, workspaces = 4, teamsPerWorkspace = 2, onProgress = () => {} } = {}) {
  const teams = [];
  const workspaceIds = [];
  for (let index = 0; index < workspaces; index++) {
    const workspace = await admin(url, masterKey, 'POST', '/workspaces', { organisationId: 'org_default', name: `bench-${index}` });
    workspaceIds.push(workspace.id);
    await admin(url, masterKey, 'POST', '/budgets', { scope: 'workspace', scopeId: workspace.id, period: 'month', limitMicros: unreachableMicros });
    for (let team = 0; team < teamsPerWorkspace; team++) {
      const created = await admin(url, masterKey, 'POST', '/teams', { workspaceId: workspace.id, name: `bench-${index}-team-${team}` });
      teams.push({ workspaceId: workspace.id, teamId: created.id });
    }
  }
  let lastSecret;
  let done = 0;
  await forEachConcurrently(keys, adminConcurrency, async (index) => {
    const { workspaceId, teamId } = teams[index % teams.length];
    const created = await admin(url, masterKey, 'POST', '/keys', { workspaceId, teamId, name: `bench-key-${index}` });
    const keyId = created.key.id;
    await admin(url, masterKey, 'POST', '/limits', { scope: 'key', scopeId: keyId, metric: 'requests', limit: unreachableRequests, windowMs: 60_000 });
    await admin(url, masterKey, 'POST', '/limits', { scope: 'key', scopeId: keyId, metric: 'tokens', limit: unreachableTokens, windowMs: 60_000 });
    await admin(url, masterKey, 'POST', '/budgets', { scope: 'key', scopeId: keyId, period: 'month', limitMicros: unreachableMicros });
    if (index === keys - 1) lastSecret = created.secret;
    done += 1;
    if (done % 100 === 0) onProgress(done);
  });
  // The same kind of key (in a workspace and team, attributed in the ledger) without limits or budgets: what
  // the gateway does for keys "without them".
  const plainWorkspace = await admin(url, masterKey, 'POST', '/workspaces', { organisationId: 'org_default', name: 'bench-without-limits' });
  const plainTeam = await admin(url, masterKey, 'POST', '/teams', { workspaceId: plainWorkspace.id, name: 'bench-without-limits-team' });
  const plain = await admin(url, masterKey, 'POST', '/keys', { workspaceId: plainWorkspace.id, teamId: plainTeam.id, name: 'bench-key-without-limits' });
  return { secret: lastSecret, plainSecret: plain.secret, workspaces: workspaceIds.length, teams: teams.length, keys, limits: keys * 2, budgets: keys + workspaceIds.length };
}
