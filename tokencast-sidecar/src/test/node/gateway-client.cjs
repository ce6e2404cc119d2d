// Test only (GatewaySdkIT): node's wechat-api, unmodified, with its `endpoint` set to the sidecar (or, for the
// negative control, to the sandbox). Makes rounds of business calls until the file `stop` appears in the
// working directory; prints one line per round and a JSON summary at the end.
'use strict';

const fs = require('fs');
const path = require('path');
const API = require('wechat-api');

const [endpoint, appid, secret] = process.argv.slice(2);
const api = new API(appid, secret);
api.endpoint = endpoint;

function call(method, ...args) {
  return new Promise((resolve, reject) => {
    method.call(api, ...args, (err, data) => (err ? reject(err) : resolve(data)));
  });
}

const media = path.resolve('media.bin');
const bytes = Buffer.alloc(256 * 1024);
for (let i = 0; i < bytes.length; i++) {
  bytes[i] = (i * 31 + 7) & 0xff;
}
fs.writeFileSync(media, bytes);

async function round(i) {
  await call(api.sendText, 'openid-' + i, 'hello ' + i);
  await call(api.createMenu, { button: [{ type: 'click', name: 'menu-' + i, key: 'k' + i }] });
  const menu = await call(api.getMenu);
  if (menu.menu.button[0].name !== 'menu-' + i) {
    throw new Error('menu read back wrong: ' + JSON.stringify(menu));
  }
  const user = await call(api.getUser, 'openid-' + i);
  if (user.openid !== 'openid-' + i) {
    throw new Error('user info wrong: ' + JSON.stringify(user));
  }
  const uploaded = await call(api.uploadMedia, media, 'image');
  const downloaded = await call(api.getMedia, uploaded.media_id);
  if (!Buffer.isBuffer(downloaded) || !downloaded.equals(bytes)) {
    throw new Error('media came back different');
  }
}

(async () => {
  let rounds = 0;
  let failures = 0;
  const errors = [];
  while (!fs.existsSync('stop')) {
    try {
      await round(rounds);
      console.log('round ' + rounds + ' ok');
    } catch (err) {
      failures++;
      errors.push((err.code || '') + ' ' + err.message);
      console.log('round ' + rounds + ' failed ' + (err.code || '') + ' ' + err.message);
    }
    rounds++;
  }
  console.log(JSON.stringify({ summary: true, rounds, failures, errors: errors.slice(0, 5) }));
})();
