import kafkajs from 'kafkajs';
import { compressFrame, decompressFrame } from 'lz4-napi';

let registered = false;

/**
 * Teaches kafkajs Kafka's LZ4 compression (the LZ4 frame format), with the
 * maintained `lz4-napi` binding (prebuilt binaries from npm, no compiler
 * needed). kafkajs ships only gzip; codecs are global to kafkajs, so this
 * registers once per process.
 */
export function registerLz4Codec(): void {
  if (registered) return;
  registered = true;
  // kafkajs is CommonJS and exports CompressionCodecs only on its default export.
  const { CompressionCodecs, CompressionTypes } = kafkajs;
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    async compress(encoder: { buffer: Buffer }) {
      return compressFrame(encoder.buffer);
    },
    async decompress(buffer: Buffer) {
      return decompressFrame(buffer);
    },
  });
}
