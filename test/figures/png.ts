/** A minimal PNG reader for tests: 8-bit greyscale/RGB/RGBA, non-interlaced, as Chromium writes. */
import { inflateSync } from "node:zlib"

export interface Image {
  readonly width: number
  readonly height: number
  /** RGBA, 4 bytes per pixel, row-major. */
  readonly pixels: Uint8Array
}

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/** Decode a PNG file's bytes into RGBA pixels. */
export const decodePng = (bytes: Uint8Array): Image => {
  const buf = Buffer.from(bytes)
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG file")
  let offset = 8
  let width = 0
  let height = 0
  let colorType = 0
  const idat: Buffer[] = []
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset)
    const type = buf.toString("ascii", offset + 4, offset + 8)
    const data = buf.subarray(offset + 8, offset + 8 + length)
    if (type === "IHDR") {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      const bitDepth = data[8]!
      colorType = data[9]!
      if (bitDepth !== 8 || data[12] !== 0) throw new Error("only 8-bit non-interlaced PNGs are supported")
    } else if (type === "IDAT") idat.push(data)
    else if (type === "IEND") break
    offset += 12 + length
  }
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType]
  if (channels === undefined) throw new Error(`unsupported PNG colour type ${colorType}`)
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * channels
  const rows = new Uint8Array(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const src = y * (stride + 1) + 1
    const dst = y * stride
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? rows[dst + i - channels]! : 0
      const b = y > 0 ? rows[dst - stride + i]! : 0
      const c = i >= channels && y > 0 ? rows[dst - stride + i - channels]! : 0
      const x = raw[src + i]!
      rows[dst + i] =
        (filter === 0
          ? x
          : filter === 1
            ? x + a
            : filter === 2
              ? x + b
              : filter === 3
                ? x + ((a + b) >> 1)
                : x + paeth(a, b, c)) & 0xff
    }
  }
  const pixels = new Uint8Array(width * height * 4)
  for (let p = 0; p < width * height; p++) {
    const s = p * channels
    const grey = channels <= 2
    pixels[p * 4] = rows[s]!
    pixels[p * 4 + 1] = grey ? rows[s]! : rows[s + 1]!
    pixels[p * 4 + 2] = grey ? rows[s]! : rows[s + 2]!
    pixels[p * 4 + 3] = channels === 4 ? rows[s + 3]! : channels === 2 ? rows[s + 1]! : 255
  }
  return { width, height, pixels }
}
