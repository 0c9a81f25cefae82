// Draws the toolbar/store icons (a padlock on a green rounded square) as PNGs at every size
// the manifest lists. Run once when the design changes: `node scripts/draw-icons.mjs`.
// Drawn in code so the repository needs no image editor and the icon stays crisp at 16 px.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
};

function draw(size) {
  const px = Buffer.alloc(size * (size * 4 + 1));
  // Coverage by 4×4 supersampling for smooth edges.
  const inside = (x, y) => {
    const u = x / size;
    const v = y / size;
    const r = 0.2;
    const cx = Math.min(Math.max(u, r), 1 - r);
    const cy = Math.min(Math.max(v, r), 1 - r);
    const inSquare = (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
    if (!inSquare) return 0;
    const body = u >= 0.27 && u <= 0.73 && v >= 0.45 && v <= 0.8;
    const d = Math.hypot(u - 0.5, v - 0.45);
    const shackle = v <= 0.45 && d >= 0.13 && d <= 0.2;
    const keyhole =
      Math.hypot(u - 0.5, v - 0.58) <= 0.055 || (Math.abs(u - 0.5) <= 0.025 && v >= 0.58 && v <= 0.7);
    return (body || shackle) && !keyhole ? 2 : 1;
  };
  for (let y = 0; y < size; y++) {
    px[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      let green = 0;
      let white = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) {
          const k = inside(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4);
          if (k === 1) green++;
          if (k === 2) white++;
        }
      const a = (green + white) / 16;
      const w = green + white ? white / (green + white) : 0;
      const o = y * (size * 4 + 1) + 1 + x * 4;
      px[o] = Math.round(0x00 * (1 - w) + 255 * w);
      px[o + 1] = Math.round(0x73 * (1 - w) + 255 * w);
      px[o + 2] = Math.round(0x5c * (1 - w) + 255 * w);
      px[o + 3] = Math.round(a * 255);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(px)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [16, 32, 48, 96, 128]) writeFileSync(`public/icon/${size}.png`, draw(size));
