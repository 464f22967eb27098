// The machine's ceiling: a bare `ws` server that answers every CALL with a Heartbeat-shaped
// CALLRESULT, with no validation, no storage and no logic. The benchmark runs the same load
// generator against it, so every figure of the real server is also a ratio to this one.

import { WebSocketServer } from 'ws';

const port = Number(process.env['PORT'] ?? 8190);
const server = new WebSocketServer({ port, host: '127.0.0.1', perMessageDeflate: false, handleProtocols: () => 'ocpp1.6' });
server.on('connection', (socket) => {
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as unknown[];
    if (frame[0] === 2) socket.send(JSON.stringify([3, frame[1], { currentTime: new Date().toISOString(), status: 'Accepted', interval: 300 }]));
  });
});
server.on('listening', () => process.stdout.write(`bare ws server on ${port}\n`));
