/**
 * Numeric arrays as the engine stores them, and their `.npy` encoding (NumPy format 1.0), so an
 * artifact written by a stage opens in Python with `numpy.load` as it is.
 *
 * @module NdArray
 */

/** Element types, named as NumPy's `dtype.str` without the byte-order mark. */
export type DType = "f8" | "f4" | "i4" | "u4" | "i2" | "u2" | "i1" | "u1"

/** The typed array that holds each dtype. */
export interface DataOf {
  readonly f8: Float64Array
  readonly f4: Float32Array
  readonly i4: Int32Array
  readonly u4: Uint32Array
  readonly i2: Int16Array
  readonly u2: Uint16Array
  readonly i1: Int8Array
  readonly u1: Uint8Array
}

/** A dense, row-major (C order) n-dimensional array. */
export interface NdArray<D extends DType = DType> {
  readonly dtype: D
  readonly shape: ReadonlyArray<number>
  readonly data: DataOf[D]
}

const constructors = {
  f8: Float64Array,
  f4: Float32Array,
  i4: Int32Array,
  u4: Uint32Array,
  i2: Int16Array,
  u2: Uint16Array,
  i1: Int8Array,
  u1: Uint8Array
} as const

/** Builds an array, checking that the data length matches the shape. */
export const make = <D extends DType>(dtype: D, shape: ReadonlyArray<number>, data: DataOf[D]): NdArray<D> => {
  const size = shape.reduce((a, b) => a * b, 1)
  if (data.length !== size) {
    throw new RangeError(
      `An array of shape (${shape.join(", ")}) holds ${size} elements, but ${data.length} were given.`
    )
  }
  return { dtype, shape: [...shape], data }
}

/** A float64 array from plain numbers. */
export const fromNumbers = (values: ArrayLike<number>, shape: ReadonlyArray<number> = [values.length]) =>
  make("f8", shape, Float64Array.from(values))

const descrOf = (dtype: DType) => (dtype === "i1" || dtype === "u1" ? `|${dtype}` : `<${dtype}`)

const shapeLiteral = (shape: ReadonlyArray<number>) => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`)

/** The `.npy` header of an array of `dtype` and `shape`: magic, version 1.0, a dict padded to 64 bytes. */
export const npyHeader = (dtype: DType, shape: ReadonlyArray<number>): Uint8Array => {
  const dict = `{'descr': '${descrOf(dtype)}', 'fortran_order': False, 'shape': ${shapeLiteral(shape)}, }`
  const unpadded = 10 + dict.length + 1
  const padding = (64 - (unpadded % 64)) % 64
  const header = dict + " ".repeat(padding) + "\n"
  const bytes = new Uint8Array(10 + header.length)
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0)
  new DataView(bytes.buffer).setUint16(8, header.length, true)
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i)
  return bytes
}

/** The bytes of a typed array, as stored in a `.npy` file (every platform Node runs on is little-endian). */
export const dataBytes = (data: DataOf[DType]): Uint8Array =>
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength)

/** The `.npy` bytes of an array: {@link npyHeader}, then the little-endian data. */
export const encodeNpy = (array: NdArray): Uint8Array => {
  const header = npyHeader(array.dtype, array.shape)
  const bytes = new Uint8Array(header.length + array.data.byteLength)
  bytes.set(header, 0)
  bytes.set(dataBytes(array.data), header.length)
  return bytes
}

/** The header of a `.npy` file: its dtype, shape and where the data starts. */
export interface NpyHeader {
  readonly dtype: DType
  readonly shape: ReadonlyArray<number>
  /** Byte offset of the data. */
  readonly offset: number
}

/**
 * Parses the header of `.npy` bytes (format 1.x or 2.x, little-endian or byte-sized, C order);
 * `bytes` needs to hold the header only. Throws on anything else.
 */
export const decodeNpyHeader = (bytes: Uint8Array): NpyHeader => {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new Error("The file is not a .npy array.")
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const major = bytes[6]!
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true)
  const headerStart = major === 1 ? 10 : 12
  if (bytes.length < headerStart + headerLength) throw new Error("The .npy header is truncated.")
  const header = String.fromCharCode(...bytes.subarray(headerStart, headerStart + headerLength))
  const descr = /'descr':\s*'([<|=])([a-z]\d)'/.exec(header)
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)
  if (descr === null || fortran === null || shape === null) throw new Error("The .npy header is malformed.")
  if (fortran[1] === "True") throw new Error("Fortran-ordered .npy arrays are not supported.")
  const dtype = descr[2] as DType
  if (!(dtype in constructors)) throw new Error(`The .npy dtype ${descr[2]} is not supported.`)
  const dims = shape[1]!
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number)
  return { dtype, shape: dims, offset: headerStart + headerLength }
}

/** Bytes per element of a dtype. */
export const bytesPerElement = (dtype: DType): number => constructors[dtype].BYTES_PER_ELEMENT

/** An array over a copy of little-endian data bytes (aligned, owning its buffer). */
export const fromBytes = (dtype: DType, shape: ReadonlyArray<number>, bytes: Uint8Array): NdArray => {
  const Ctor = constructors[dtype]
  const size = shape.reduce((a, b) => a * b, 1)
  if (bytes.length !== size * Ctor.BYTES_PER_ELEMENT) {
    throw new Error(`fromBytes: ${bytes.length} bytes for ${size} values of ${dtype}`)
  }
  const copy = new Uint8Array(bytes.length)
  copy.set(bytes)
  return make(dtype, shape, new Ctor(copy.buffer, 0, size) as DataOf[DType])
}

/** Reads `.npy` bytes (format 1.x or 2.x, little-endian or byte-sized, C order). */
export const decodeNpy = (bytes: Uint8Array): NdArray => {
  const { dtype, shape: dims, offset } = decodeNpyHeader(bytes)
  const Ctor = constructors[dtype]
  const size = dims.reduce((a, b) => a * b, 1)
  if (bytes.length - offset !== size * Ctor.BYTES_PER_ELEMENT) {
    throw new Error(
      `The .npy data holds ${bytes.length - offset} bytes; its header promises ${size * Ctor.BYTES_PER_ELEMENT}.`
    )
  }
  // Copy so the result is aligned and owns its buffer (a Node Buffer's slice would share a pool).
  const copy = new Uint8Array(size * Ctor.BYTES_PER_ELEMENT)
  copy.set(bytes.subarray(offset))
  return make(dtype, dims, new Ctor(copy.buffer, 0, size) as DataOf[DType])
}
