#!/usr/bin/env node
// Installs npm packages when node_modules is missing or older than package-lock.json, so that
// `npm start` and `npm test` work on a fresh clone. Plain JavaScript: it runs before anything is installed.
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const lockFile = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.whistlebot-lock-hash');

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`whistlebot needs Node.js 20.19 or newer (found ${process.versions.node}). Install a current Node.js 20 or 22 and run again.`);
  process.exit(1);
}

const lockHash = createHash('sha256').update(readFileSync(lockFile)).digest('hex');
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash) process.exit(0);

// `npm ci` installs exactly what the lock says and never rewrites it, so set-up leaves the tree clean.
console.error('[setup] installing npm packages (npm ci, exactly as package-lock.json pins them)…');
const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('[setup] npm ci failed: check that the npm registry is reachable (npm config get registry); if package.json changed, run `npm install` once to update package-lock.json, then run again.');
  process.exit(result.status ?? 1);
}
writeFileSync(stamp, lockHash);
console.error('[setup] npm packages installed.');
