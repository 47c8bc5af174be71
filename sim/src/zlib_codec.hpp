#pragma once
// Small zlib helpers shared by the sweep journal and the sweep result file: reusable deflate and
// inflate states, and the byte shuffle of 8-byte values (HDF5's shuffle filter for doubles).
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <new>

namespace coordsim::sim::zlib_codec {

// Byte k of value i goes to out[k * n + i]: the sign/exponent bytes of smooth series end up next
// to each other, which deflate compresses far better than interleaved values.
inline void shuffle8(const unsigned char* in, std::size_t n, unsigned char* out) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t b = 0; b < 8; ++b) out[b * n + i] = in[i * 8 + b];
}
inline void unshuffle8(const unsigned char* in, std::size_t n, unsigned char* out) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t b = 0; b < 8; ++b) out[i * 8 + b] = in[b * n + i];
}

// Formats of a deflate stream: raw (no header or checksum) or zlib (2-byte header, Adler-32),
// the latter being what HDF5's deflate filter reads.
enum class Wrapper { Raw, Zlib };

// A deflate state kept for reuse (reset between uses): initialising one allocates and clears a
// quarter of a megabyte, more than compressing a small record costs. Level 1 with the run-length
// strategy: matches only against the previous byte, which is where shuffled doubles repeat, at a
// fraction of the time of the default strategy's hash-chain search, for files a few per cent larger.
// Points `stream` at the input [in, in + size) and the output [out, out + capacity).
inline void set_buffers(z_stream& stream, const unsigned char* in, std::size_t size, unsigned char* out,
                        std::size_t capacity) {
  stream.next_in = const_cast<Bytef*>(in);
  stream.avail_in = static_cast<uInt>(size);
  stream.next_out = out;
  stream.avail_out = static_cast<uInt>(capacity);
}

class Deflater {
 public:
  explicit Deflater(Wrapper wrapper) {
    if (deflateInit2(&stream_, 1, Z_DEFLATED, wrapper == Wrapper::Raw ? -15 : 15, 8, Z_RLE) != Z_OK)
      throw std::bad_alloc();
  }
  ~Deflater() { deflateEnd(&stream_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
  std::size_t bound(std::size_t size) { return deflateBound(&stream_, static_cast<uLong>(size)); }
  // Compresses [in, in + size) into out (at least bound(size) bytes); returns the packed size, 0
  // on failure.
  std::size_t pack(const unsigned char* in, std::size_t size, unsigned char* out, std::size_t capacity) {
    deflateReset(&stream_);
    set_buffers(stream_, in, size, out, capacity);
    if (deflate(&stream_, Z_FINISH) != Z_STREAM_END) return 0;
    return capacity - stream_.avail_out;
  }

 private:
  z_stream stream_{};
};

class Inflater {
 public:
  explicit Inflater(Wrapper wrapper) {
    if (inflateInit2(&stream_, wrapper == Wrapper::Raw ? -15 : 15) != Z_OK) throw std::bad_alloc();
  }
  ~Inflater() { inflateEnd(&stream_); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  // Inflates into [out, out + capacity); returns the bytes produced, or SIZE_MAX when the input is
  // not exactly one whole stream or would produce more than capacity.
  std::size_t unpack(const unsigned char* in, std::size_t size, unsigned char* out, std::size_t capacity) {
    inflateReset(&stream_);
    set_buffers(stream_, in, size, out, capacity);
    if (inflate(&stream_, Z_FINISH) != Z_STREAM_END || stream_.avail_in != 0) return SIZE_MAX;
    return capacity - stream_.avail_out;
  }

 private:
  z_stream stream_{};
};

}  // namespace coordsim::sim::zlib_codec
