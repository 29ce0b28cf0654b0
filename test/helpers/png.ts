/**
 * Minimal PNG reader for tests (no dependencies): reads the IHDR header and decodes
 * non-interlaced 8-bit PNGs (greyscale, RGB, palette, grey+alpha, RGBA) to RGBA.
 * Spec: https://www.w3.org/TR/png/ (chunks, filter types 0-4, Paeth predictor).
 */
import { inflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA */
  colorType: number;
  interlace: number;
}

export interface DecodedPng extends PngHeader {
  /** width*height*4 bytes, RGBA, row-major */
  rgba: Uint8Array;
}

interface Chunk {
  type: string;
  data: Buffer;
}

function readChunks(buf: Buffer): Chunk[] {
  if (buf.length < 8 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG (bad signature)');
  const chunks: Chunk[] = [];
  let off = 8;
  while (off + 12 <= buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    if (off + 12 + len > buf.length) throw new Error(`truncated PNG chunk ${type}`);
    chunks.push({ type, data: buf.subarray(off + 8, off + 8 + len) });
    off += 12 + len;
    if (type === 'IEND') break;
  }
  if (chunks[0]?.type !== 'IHDR') throw new Error('PNG does not start with IHDR');
  return chunks;
}

/** Reads width, height, bit depth and colour type from the IHDR chunk. */
export function readPngHeader(buf: Buffer): PngHeader {
  if (buf.length < 33 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG (bad signature)');
  if (buf.toString('ascii', 12, 16) !== 'IHDR') throw new Error('PNG does not start with IHDR');
  return {
    width: buf.readUInt32BE(16),
    height: buf.readUInt32BE(20),
    bitDepth: buf[24]!,
    colorType: buf[25]!,
    interlace: buf[28]!,
  };
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/** Decodes a non-interlaced, 8-bit-per-sample PNG to RGBA. */
export function decodePng(buf: Buffer): DecodedPng {
  const header = readPngHeader(buf);
  const { width, height, bitDepth, colorType, interlace } = header;
  const channels = CHANNELS[colorType];
  if (channels === undefined) throw new Error(`unsupported PNG colour type ${colorType}`);
  if (bitDepth !== 8) throw new Error(`unsupported PNG bit depth ${bitDepth} (only 8 is supported)`);
  if (interlace !== 0) throw new Error('interlaced PNGs are not supported');

  const chunks = readChunks(buf);
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  const plte = chunks.find((c) => c.type === 'PLTE')?.data;
  const trns = chunks.find((c) => c.type === 'tRNS')?.data;
  const raw = inflateSync(idat);

  const bpp = channels; // bytes per pixel at bit depth 8
  const stride = width * bpp;
  if (raw.length < height * (stride + 1)) throw new Error('PNG image data is too short');

  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    const prev = dst - stride; // previous output row (y > 0)
    for (let i = 0; i < stride; i++) {
      const x = raw[src + i]!;
      const a = i >= bpp ? pixels[dst + i - bpp]! : 0;
      const b = y > 0 ? pixels[prev + i]! : 0;
      const c = i >= bpp && y > 0 ? pixels[prev + i - bpp]! : 0;
      let v: number;
      switch (filter) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: v = x + paeth(a, b, c); break;
        default: throw new Error(`bad PNG filter type ${filter} in row ${y}`);
      }
      pixels[dst + i] = v & 0xff;
    }
  }

  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const s = p * bpp;
    const d = p * 4;
    switch (colorType) {
      case 0: {
        const g = pixels[s]!;
        rgba.set([g, g, g, trns && trns.length >= 2 && trns.readUInt16BE(0) === g ? 0 : 255], d);
        break;
      }
      case 2: {
        const [r, g, b] = [pixels[s]!, pixels[s + 1]!, pixels[s + 2]!];
        const transparent =
          trns !== undefined && trns.length >= 6 && trns.readUInt16BE(0) === r && trns.readUInt16BE(2) === g && trns.readUInt16BE(4) === b;
        rgba.set([r, g, b, transparent ? 0 : 255], d);
        break;
      }
      case 3: {
        const idx = pixels[s]!;
        if (!plte || idx * 3 + 2 >= plte.length) throw new Error(`PNG palette index ${idx} out of range`);
        rgba.set([plte[idx * 3]!, plte[idx * 3 + 1]!, plte[idx * 3 + 2]!, trns && idx < trns.length ? trns[idx]! : 255], d);
        break;
      }
      case 4:
        rgba.set([pixels[s]!, pixels[s]!, pixels[s]!, pixels[s + 1]!], d);
        break;
      default:
        rgba.set([pixels[s]!, pixels[s + 1]!, pixels[s + 2]!, pixels[s + 3]!], d);
    }
  }
  return { ...header, rgba };
}
