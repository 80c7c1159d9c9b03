/**
 * Reading the header of a WAV (RIFF/WAVE) file.
 *
 * Source: the RIFF WAVE format (Microsoft/IBM "Multimedia Programming
 * Interface and Data Specifications 1.0", 1991): a `RIFF` chunk of form type
 * `WAVE` holding a `fmt ` chunk (format tag, channels, sample rate, byte rate,
 * block align, bits per sample) and a `data` chunk of samples; chunks are
 * padded to an even size.
 *
 * @packageDocumentation
 */

/** What a WAV header says. */
export interface WavInfo {
  /** Format tag of the `fmt ` chunk: 1 is integer PCM, 3 IEEE float, 0xFFFE extensible. */
  readonly format: number;
  /** Number of channels (1 = mono). */
  readonly channels: number;
  /** Samples per second per channel, in Hz. */
  readonly sampleRate: number;
  /** Bits per sample (16 for espeak-ng's output). */
  readonly bitsPerSample: number;
  /** Size of the `data` chunk, in bytes (as far as the file holds it). */
  readonly dataBytes: number;
  /** Byte offset of the samples in the file. */
  readonly dataOffset: number;
  /** Length of the sound, in seconds: data bytes / (sample rate × channels × bytes per sample). */
  readonly durationSeconds: number;
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/**
 * Reads the `fmt ` and `data` chunks of a WAV file.
 *
 * A `data` size larger than the file (as programs that write to a pipe leave
 * it, e.g. `0xFFFFFFFF`) is taken as "to the end of the file".
 * @param bytes the whole file
 * @returns the header facts, or `undefined` when the bytes are not a RIFF/WAVE
 *   file with `fmt ` and `data` chunks
 */
export function readWavInfo(bytes: Uint8Array): WavInfo | undefined {
  if (bytes.length < 12 || ascii(bytes, 0) !== "RIFF" || ascii(bytes, 8) !== "WAVE") return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: { format: number; channels: number; sampleRate: number; bitsPerSample: number } | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "fmt " && size >= 16 && body + 16 <= bytes.length) {
      fmt = {
        format: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      if (!fmt) return undefined;
      const dataBytes = Math.min(size, bytes.length - body);
      const frameBytes = fmt.channels * Math.ceil(fmt.bitsPerSample / 8);
      const durationSeconds = fmt.sampleRate > 0 && frameBytes > 0 ? dataBytes / (fmt.sampleRate * frameBytes) : 0;
      return { ...fmt, dataBytes, dataOffset: body, durationSeconds };
    }
    at = body + size + (size % 2);
  }
  return undefined;
}
