{
  "targets": [{
    "target_name": "genrelab_torch",
    "sources": [
      "src/addon.cc", "src/tensor.cc", "src/creation.cc", "src/ops_math.cc",
      "src/ops_shape.cc", "src/ops_nn.cc", "src/ops_bn_nhwc.cc", "src/ops_rnn.cc", "src/optim.cc", "src/dist.cc"
    ],
    "include_dirs": [
      "<!(node -p \"require('node-addon-api').include_dir\")",
      "<!@(node libtorch-paths.cjs include)"
    ],
    "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "_GLIBCXX_USE_CXX11_ABI=1", "USE_C10D_GLOO"],
    "cflags!": ["-fno-exceptions", "-fno-rtti"],
    "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
    "cflags_cc": [
      "-fexceptions", "-frtti", "-O2", "-fopenmp", "-fno-trapping-math",
      "-Wno-unused-parameter", "-Wno-deprecated-declarations"
    ],
    "libraries": [
      "-L<!(node libtorch-paths.cjs lib)",
      "-Wl,-rpath,<!(node libtorch-paths.cjs lib)",
      "-fopenmp", "-Wl,--no-as-needed", "-ltorch", "-ltorch_cpu", "-lc10", "-Wl,--as-needed"
    ]
  }]
}
