// The Fletcher-32 checksum coordsim appends to the chunks it filters itself must be exactly the
// one HDF5's own filter computes, or every read of a sweep file would fail its check: compared
// here on chunks written through HDF5's filter (even and odd byte counts, long runs past the
// folding interval), and a chunk written directly with it reads back intact, while a flipped
// byte fails the read.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <vector>

#include "hdf5_checksum.hpp"

namespace coordsim::sim::hdf5 {
namespace {

namespace fs = std::filesystem;

struct File {
  std::string path = (fs::temp_directory_path() / ("coordsim-fletcher-" + std::to_string(::getpid()) + ".h5")).string();
  hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ~File() {
    H5Fclose(id);
    fs::remove(path);
  }
};

// A one-chunk uint8 dataset of `bytes` through HDF5's Fletcher-32 filter alone; returns the
// stored chunk (data, then the checksum).
std::vector<unsigned char> stored_chunk(hid_t file, const char* name, const std::vector<unsigned char>& bytes) {
  const hsize_t size = bytes.size();
  const hid_t space = H5Screate_simple(1, &size, nullptr);
  const hid_t creation = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(creation, 1, &size);
  H5Pset_fletcher32(creation);
  const hid_t dataset = H5Dcreate2(file, name, H5T_NATIVE_UCHAR, space, H5P_DEFAULT, creation, H5P_DEFAULT);
  EXPECT_GE(H5Dwrite(dataset, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()), 0);
  H5Dflush(dataset);
  const hsize_t offset = 0;
  hsize_t stored = 0;
  H5Dget_chunk_storage_size(dataset, &offset, &stored);
  std::vector<unsigned char> chunk(stored);
  std::uint32_t mask = 0;
  EXPECT_GE(H5Dread_chunk(dataset, H5P_DEFAULT, &offset, &mask, chunk.data()), 0);
  H5Dclose(dataset);
  H5Pclose(creation);
  H5Sclose(space);
  return chunk;
}

TEST(Fletcher32, MatchesHdf5sOwnFilter) {
  File file;
  ASSERT_GE(file.id, 0);
  int n = 0;
  for (const std::size_t size : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{720}, std::size_t{721},
                                 std::size_t{100001}}) {
    for (const int pattern : {0, 1, 2}) {
      std::vector<unsigned char> bytes(size);
      for (std::size_t i = 0; i < size; ++i)
        bytes[i] = pattern == 0 ? 0xFF : static_cast<unsigned char>(pattern == 1 ? i * 131 + 7 : (i % 5 == 0 ? 0 : 0xFE));
      const std::string name = "d" + std::to_string(n++);
      const auto chunk = stored_chunk(file.id, name.c_str(), bytes);
      ASSERT_EQ(chunk.size(), size + 4);
      auto expected = bytes;
      append_fletcher32(expected);
      EXPECT_EQ(chunk, expected) << "size " << size << ", pattern " << pattern;
    }
  }
}

TEST(Fletcher32, ADirectlyWrittenChunkReadsBackAndAFlippedByteFails) {
  File file;
  const hsize_t size = 64;
  const hid_t space = H5Screate_simple(1, &size, nullptr);
  const hid_t creation = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(creation, 1, &size);
  H5Pset_fletcher32(creation);
  const hid_t dataset = H5Dcreate2(file.id, "x", H5T_NATIVE_UCHAR, space, H5P_DEFAULT, creation, H5P_DEFAULT);
  std::vector<unsigned char> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<unsigned char>(3 * i + 1);
  auto chunk = bytes;
  append_fletcher32(chunk);
  const hsize_t offset = 0;
  ASSERT_GE(H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, &offset, chunk.size(), chunk.data()), 0);
  std::vector<unsigned char> back(size);
  ASSERT_GE(H5Dread(dataset, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()), 0);
  EXPECT_EQ(back, bytes);
  chunk[10] ^= 0x40;
  ASSERT_GE(H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, &offset, chunk.size(), chunk.data()), 0);
  H5E_BEGIN_TRY { EXPECT_LT(H5Dread(dataset, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()), 0); }
  H5E_END_TRY;
  H5Dclose(dataset);
  H5Pclose(creation);
  H5Sclose(space);
}

}  // namespace
}  // namespace coordsim::sim::hdf5
