// Prints libtorch's include or library folder for binding.gyp.
// LIBTORCH=/path/to/libtorch selects a non-Debian install (the layout of PyTorch's libtorch zip).
const fs = require("fs");
const root = process.env.LIBTORCH;
const what = process.argv[2];
const multiarch = "/usr/lib/x86_64-linux-gnu";
function check(dir) {
  if (!fs.existsSync(dir)) {
    console.error(`genrelab: libtorch folder not found: ${dir} (set LIBTORCH or install libtorch-dev)`);
    process.exit(1);
  }
  return dir;
}
if (what === "include") {
  const base = root ? `${root}/include` : "/usr/include";
  console.log([check(base), check(`${base}/torch/csrc/api/include`)].join(" "));
} else if (what === "lib") {
  console.log(check(root ? `${root}/lib` : fs.existsSync(multiarch) ? multiarch : "/usr/lib"));
} else {
  console.error("usage: libtorch-paths.cjs include|lib");
  process.exit(2);
}
