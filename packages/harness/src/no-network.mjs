// Preloaded into the action's node process (NODE_OPTIONS=--import) by the zero-network test:
// every outgoing TCP connection (fetch/undici, http, https all end in Socket#connect) is written
// to $FERROWHEEL_NETWORK_LOG and refused, so "no network" is observed, not assumed.
import { appendFileSync } from 'node:fs';
import net from 'node:net';

const log = process.env.FERROWHEEL_NETWORK_LOG;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const target = typeof args[0] === 'object' ? JSON.stringify(args[0]) : String(args[0]);
  if (log) appendFileSync(log, `${target}\n`);
  throw new Error(`network access refused by the test: ${target}`);
};
