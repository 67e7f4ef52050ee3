#ifndef FAZHI_TESTS_TESTING_TEMP_DIR_H_
#define FAZHI_TESTS_TESTING_TEMP_DIR_H_

#include <string>

namespace fazhi::testing {

// A fresh directory under the test temp dir, removed with its contents at
// destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace fazhi::testing

#endif  // FAZHI_TESTS_TESTING_TEMP_DIR_H_
