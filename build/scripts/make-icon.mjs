// Makes build/icon.ico from build/icon.png with the sizes Windows asks for: 16 (title
// bar, small list), 32 (taskbar, desktop at 100 %), 48 (large list) and 256 (large
// icons, the installer). One 256 px image scaled down by Windows is blurry at 16-48 px.
// Each size is resampled by ImageMagick (`convert`, apt install imagemagick) and stored
// as a PNG entry of the .ico container written here. Run by hand after changing
// icon.png: node build/scripts/make-icon.mjs; the result is committed.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SIZES = [16, 32, 48, 256];
// IMAGEMAGICK_CONVERT names the binary when another `convert` comes first on PATH.
const convert = process.env.IMAGEMAGICK_CONVERT || 'convert';
const source = path.join(root, 'build', 'icon.png');
const target = path.join(root, 'build', 'icon.ico');

const images = SIZES.map((size) =>
  execFileSync(convert, [source, '-filter', 'Lanczos', '-resize', `${size}x${size}`, '-strip', `png32:-`], { maxBuffer: 16 * 1024 * 1024 }),
);

// ICONDIR (6 bytes), one ICONDIRENTRY (16 bytes) per image, then the images.
const header = Buffer.alloc(6 + 16 * images.length);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2); // 1 = icon
header.writeUInt16LE(images.length, 4);
let offset = header.length;
images.forEach((image, i) => {
  const entry = 6 + 16 * i;
  const size = SIZES[i];
  header.writeUInt8(size >= 256 ? 0 : size, entry); // 0 means 256
  header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
  header.writeUInt8(0, entry + 2); // no palette
  header.writeUInt8(0, entry + 3);
  header.writeUInt16LE(1, entry + 4); // colour planes
  header.writeUInt16LE(32, entry + 6); // bits per pixel
  header.writeUInt32LE(image.length, entry + 8);
  header.writeUInt32LE(offset, entry + 12);
  offset += image.length;
});
fs.writeFileSync(target, Buffer.concat([header, ...images]));
process.stderr.write(`[icon] ${path.relative(root, target)}: ${SIZES.join(', ')} px, ${offset} bytes\n`);
