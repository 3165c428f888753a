// The baseline: a bare node:http server answering from memory with the exact bodies the shop
// returned (read from the JSON file named on the command line: { "<path>": <status/body> }).
import fs from 'node:fs';
import http from 'node:http';

const responses = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const server = http.createServer((req, res) => {
  const hit = responses[req.url] ?? responses['*'];
  if (!hit) {
    res.writeHead(404).end();
    return;
  }
  req.resume();
  req.on('end', () => {
    res.writeHead(hit.status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(hit.body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
