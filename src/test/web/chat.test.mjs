// Browser tests of the chat page, run by BrowserIT: Debian's chromium through playwright-core, never a downloaded
// browser. BrowserIT starts the packaged server and passes its ports; the restart test runs a server of its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (BrowserIT sets it)`);
  return value;
};
const WEB = `http://127.0.0.1:${env('CHAT_TEST_WEB_PORT')}/`;
const LINE_PORT = Number(env('CHAT_TEST_LINE_PORT'));
const WAIT = 10_000;

let context;
let profile;

before(async () => {
  profile = mkdtempSync(path.join(os.tmpdir(), 'chat-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(WAIT);
});

after(async () => {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
});

/** A page that fails its test on any dialog (alert, confirm) or page error. */
async function openPage(url = WEB) {
  const page = await context.newPage();
  page.problems = [];
  page.on('dialog', (dialog) => { page.problems.push(`dialog: ${dialog.message()}`); dialog.dismiss(); });
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  await page.goto(url);
  return page;
}

async function register(page, name) {
  await page.locator('#name').fill(name);
  await page.locator('#name').press('Enter');
  await page.locator('#status').filter({ hasText: `connected as ${name}` }).waitFor();
}

async function say(page, text) {
  await page.locator('#text').fill(text);
  await page.locator('#text').press('Enter');
}

const logHas = (page, text) => page.locator('#log li').filter({ hasText: text }).first().waitFor();

/** A line-protocol user: the server's lines, in order, on demand. */
function lineClient(port, name) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const lines = [];
    let buffered = '';
    let waiter = null;
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      buffered += chunk;
      let end;
      while ((end = buffered.indexOf('\n')) >= 0) {
        lines.push(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
      }
      waiter?.();
    });
    socket.on('error', reject);
    const client = {
      send: (line) => socket.write(line + '\n'),
      close: () => socket.destroy(),
      async await(wanted) {
        const deadline = Date.now() + WAIT;
        for (;;) {
          const index = lines.indexOf(wanted);
          if (index >= 0) { lines.splice(0, index + 1); return; }
          if (Date.now() > deadline) throw new Error(`no line ${wanted}; got ${JSON.stringify(lines)}`);
          await new Promise((r) => { waiter = r; setTimeout(r, 100); });
        }
      },
    };
    socket.once('connect', async () => {
      try {
        await client.await('ID');
        client.send(name);
        resolve(client);
      } catch (e) { reject(e); }
    });
  });
}

test('two pages and a line client chat in the lobby', async () => {
  const ann = await openPage();
  const ben = await openPage();
  await register(ann, 'ann');
  await register(ben, 'ben');
  const cid = await lineClient(LINE_PORT, 'cid');
  await cid.await('[cid] 접속');
  await say(ann, 'hello from ann');
  await logHas(ben, 'hello from ann');
  await cid.await('[ann] hello from ann');
  cid.send('hi pages');
  await logHas(ann, 'hi pages');
  await logHas(ben, 'hi pages');
  await say(ben, '/me waves');
  await logHas(ann, 'waves');
  await cid.await('* ben waves');
  await say(ann, '/msg cid just for you');
  await cid.await('[ann → cid] just for you');
  await ann.locator('#members li').filter({ hasText: 'cid' }).waitFor();
  await ann.locator('#members li').filter({ hasText: 'ben' }).waitFor();
  if (process.env.CHAT_TEST_SCREENSHOT) {
    await ann.setViewportSize({ width: 900, height: 520 });
    await ann.screenshot({ path: process.env.CHAT_TEST_SCREENSHOT });
  }
  assert.deepEqual([...ann.problems, ...ben.problems], []);
  cid.close();
  await ann.close();
  await ben.close();
});

test('a taken name is explained and another can be picked', async () => {
  const first = await openPage();
  await register(first, 'dora');
  const second = await openPage();
  await second.locator('#name').fill('DORA');
  await second.locator('#name').press('Enter');
  await second.locator('#login-error').filter({ hasText: 'taken' }).waitFor();
  await second.locator('#name').fill('*bad');
  await second.locator('#name').press('Enter');
  await second.locator('#login-error').filter({ hasText: 'invalid name' }).waitFor();
  await register(second, 'dora2');
  await first.close();
  await second.close();
});

test('switching and joining rooms', async () => {
  const eve = await openPage();
  const fay = await openPage();
  await register(eve, 'eve');
  await register(fay, 'fay');
  await eve.locator('#join-room').fill('dev');
  await eve.locator('#join-room').press('Enter');
  await eve.locator('#room-title').filter({ hasText: '#dev' }).waitFor();
  await say(eve, 'only in dev');
  await logHas(eve, 'only in dev');
  await fay.locator('#rooms button').filter({ hasText: '#dev' }).waitFor();
  await fay.locator('#rooms button').filter({ hasText: '#dev' }).click();
  await fay.locator('#room-title').filter({ hasText: '#dev' }).waitFor();
  await say(fay, 'fay in dev');
  await logHas(eve, 'fay in dev');
  await eve.locator('#tabs button').filter({ hasText: '#lobby' }).click();
  await eve.locator('#room-title').filter({ hasText: '#lobby' }).waitFor();
  assert.equal(await eve.locator('#log li').filter({ hasText: 'fay in dev' }).count(), 0);
  await say(eve, '/part');
  await eve.locator('#tabs button').filter({ hasText: '#lobby' }).waitFor({ state: 'detached' });
  await eve.close();
  await fay.close();
});

test('entering a room shows what was said there before, above the live lines', async () => {
  const ida = await openPage();
  const jon = await openPage();
  await register(ida, 'ida');
  await register(jon, 'jon');
  await ida.locator('#join-room').fill('past');
  await ida.locator('#join-room').press('Enter');
  await ida.locator('#room-title').filter({ hasText: '#past' }).waitFor();
  await say(ida, 'said before jon came');
  await logHas(ida, 'said before jon came');
  await jon.locator('#join-room').fill('past');
  await jon.locator('#join-room').press('Enter');
  await jon.locator('#room-title').filter({ hasText: '#past' }).waitFor();
  await jon.locator('#log li.history').filter({ hasText: 'said before jon came' }).waitFor();
  await say(ida, 'said after');
  await logHas(jon, 'said after');
  const lines = await jon.locator('#log li').allTextContents();
  const before = lines.findIndex((t) => t.includes('said before jon came'));
  assert.ok(before >= 0 && before < lines.findIndex((t) => t.includes('you joined #past')), lines.join(' | '));
  assert.ok(before < lines.findIndex((t) => t.includes('said after')), lines.join(' | '));
  assert.deepEqual([...ida.problems, ...jon.problems], []);
  await ida.close();
  await jon.close();
});

test('a message that looks like HTML is shown as text and runs nothing', async () => {
  const xss = '<img src=x onerror=alert(1)>';
  const gus = await openPage();
  const hal = await openPage();
  await register(gus, 'gus');
  await register(hal, 'hal');
  await say(gus, xss);
  await logHas(hal, xss);
  await logHas(gus, xss);
  assert.equal(await hal.locator('#log img').count(), 0);
  assert.equal(await hal.locator('#log .text').filter({ hasText: xss }).first().textContent(), xss);
  assert.deepEqual([...gus.problems, ...hal.problems], []);
  await gus.close();
  await hal.close();
});

test('the page reconnects after the server restarts', async () => {
  const ports = {
    CHAT_TCP_PORT: env('CHAT_TEST_SPARE_LINE_PORT'),
    CHAT_HTTP_PORT: env('CHAT_TEST_SPARE_HTTP_PORT'),
    CHAT_WEB_PORT: env('CHAT_TEST_SPARE_WEB_PORT'),
  };
  let server = await startServer(ports);
  try {
    const page = await openPage(`http://127.0.0.1:${ports.CHAT_WEB_PORT}/`);
    await register(page, 'ida');
    await stopServer(server);
    await page.locator('#status').filter({ hasText: 'reconnecting' }).waitFor();
    server = await startServer(ports);
    await page.locator('#status').filter({ hasText: 'connected as ida' }).waitFor({ timeout: 20_000 });
    await say(page, 'back again');
    await logHas(page, 'back again');
    await page.close();
  } finally {
    await stopServer(server);
  }
});

async function startServer(ports) {
  const child = spawn(env('CHAT_TEST_JAVA'), ['-Xmx256m', '-jar', env('CHAT_TEST_JAR')], {
    env: { ...process.env, ...ports, CHAT_TCP_HOST: '127.0.0.1', CHAT_TCP_INSTANCES: '1' },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 30_000;
  while (!(await accepts(Number(ports.CHAT_WEB_PORT)))) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('server did not start within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

async function stopServer(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
