//===- TesselExtension.cpp - tessel._tessel, over the C API ---------------===//
//
// The native half of the Python package: compiled modules and their
// functions, explain, database statistics. Calls take any object with the
// buffer protocol (numpy arrays above all) without copying, check them
// through the C API and release the GIL while the kernel runs. The Python
// half (tessel/__init__.py) adds matmul, caching and conveniences.
//
//===----------------------------------------------------------------------===//

#include "tessel-c/Tessel.h"

#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <string>
#include <vector>

namespace py = pybind11;

namespace {

PyObject *errorType = nullptr; // tessel.Error

/// A failed C API call, raised as TypeError, ValueError or tessel.Error.
struct CallFailure {
  TesselErrorKind kind;
  std::string message;
};

std::string toString(TesselStringRef s) {
  return std::string(s.data, s.length);
}

void check(TesselError error) {
  if (tesselErrorIsNull(error))
    return;
  CallFailure failure{tesselErrorGetKind(error),
                      toString(tesselErrorGetMessage(error))};
  tesselErrorDestroy(error);
  throw failure;
}

void raise(const CallFailure &failure) {
  PyObject *type = failure.kind == TESSEL_ERROR_TYPE    ? PyExc_TypeError
                   : failure.kind == TESSEL_ERROR_VALUE ? PyExc_ValueError
                                                        : errorType;
  py::str message(failure.message);
  if (type != errorType) {
    PyErr_SetObject(type, message.ptr());
    return;
  }
  // tessel.Error carries the diagnostics as a list of lines too.
  PyObject *instance = PyObject_CallOneArg(type, message.ptr());
  if (!instance)
    return;
  py::list lines = message.attr("splitlines")();
  PyObject_SetAttrString(instance, "diagnostics", lines.ptr());
  PyErr_SetObject(type, instance);
  Py_DECREF(instance);
}

/// Options as the Python keyword arguments give them.
struct Options {
  std::string target = "host";
  unsigned threads = 0, searchThreads = 0;
  uint64_t searchBudget = 0;
  bool defaultBudget = true;
  std::string database;
  bool ignoreDatabaseMismatch = false;
  py::object progress = py::none();

  TesselCompileOptions toC() const {
    TesselCompileOptions c;
    tesselCompileOptionsInit(&c);
    c.target = target.c_str();
    c.threads = threads;
    c.searchThreads = searchThreads;
    if (!defaultBudget)
      c.searchBudget = searchBudget;
    c.database = database.empty() ? nullptr : database.c_str();
    c.ignoreDatabaseMismatch = ignoreDatabaseMismatch;
    if (!progress.is_none()) {
      c.progress = [](const TesselProgress *p, void *userData) {
        py::gil_scoped_acquire gil;
        try {
          py::dict report;
          report["specs_solved"] = p->specsSolved;
          report["specs_expanded"] = p->specsExpanded;
          report["memo_hits"] = p->memoHits;
          report["seconds"] = p->seconds;
          static_cast<py::object *>(userData)->operator()(report);
        } catch (py::error_already_set &e) {
          // The search cannot stop for it: report and go on.
          e.discard_as_unraisable("tessel progress callback");
        }
      };
      c.progressUserData = const_cast<py::object *>(&progress);
    }
    return c;
  }
};

Options makeOptions(const std::string &target, unsigned threads,
                    unsigned searchThreads, py::object searchBudget,
                    const std::string &db, bool ignoreDatabaseMismatch,
                    py::object progress) {
  Options o;
  o.target = target;
  o.threads = threads;
  o.searchThreads = searchThreads;
  if (!searchBudget.is_none()) {
    o.defaultBudget = false;
    o.searchBudget = searchBudget.cast<uint64_t>();
  }
  o.database = db;
  o.ignoreDatabaseMismatch = ignoreDatabaseMismatch;
  o.progress = std::move(progress);
  return o;
}

class Module;

/// The dtype a buffer's format holds for argument `want`: 2-byte integers
/// pass bf16 bits to bf16 arguments (numpy has no bfloat16).
bool dtypeOfFormat(const char *format, Py_ssize_t itemsize, TesselDType want,
                   TesselDType &out) {
  // Native or little-endian ('<') byte order only: this is x86.
  while (*format == '<' || *format == '=' || *format == '@')
    ++format;
  if (std::strlen(format) != 1)
    return false;
  char c = *format;
  switch (c) {
  case 'f':
    out = TESSEL_DTYPE_F32;
    return itemsize == 4;
  case 'd':
    out = TESSEL_DTYPE_F64;
    return itemsize == 8;
  case 'e':
    out = TESSEL_DTYPE_F16;
    return itemsize == 2;
  case 'b':
  case 'B':
  case 'h':
  case 'H':
  case 'i':
  case 'I':
  case 'l':
  case 'L':
  case 'q':
  case 'Q':
    switch (itemsize) {
    case 1:
      out = TESSEL_DTYPE_I8;
      return true;
    case 2:
      out = want == TESSEL_DTYPE_BF16 ? TESSEL_DTYPE_BF16 : TESSEL_DTYPE_I16;
      return true;
    case 4:
      out = TESSEL_DTYPE_I32;
      return true;
    case 8:
      out = TESSEL_DTYPE_I64;
      return true;
    }
    return false;
  default:
    return false;
  }
}

/// Buffers held for one call (released with the GIL held).
struct HeldBuffers {
  std::vector<Py_buffer> views;
  std::vector<std::vector<int64_t>> shapes, strides;
  std::vector<TesselBuffer> buffers;
  std::vector<py::object> converted; // objects made by tessel._as_buffer
  size_t held = 0;
  ~HeldBuffers() {
    for (size_t i = 0; i < held; ++i)
      PyBuffer_Release(&views[i]);
  }
};

class Function {
public:
  Function(std::shared_ptr<Module> owner, TesselFunction fn)
      : owner(std::move(owner)), fn(fn),
        name(toString(tesselFunctionGetName(fn))) {
    for (intptr_t i = 0, e = tesselFunctionGetNumArguments(fn); i < e; ++i)
      arguments.push_back(tesselFunctionGetArgument(fn, i));
  }

  std::string where(size_t i) const {
    return "argument #" + std::to_string(i) + " of '" + name + "' (" +
           toString(arguments[i].type) + ")";
  }

  /// Takes each argument's buffer, or raises naming the argument.
  void hold(const py::args &args, HeldBuffers &held) const {
    size_t n = args.size();
    if (n != arguments.size()) {
      std::string types;
      for (const TesselArgument &a : arguments)
        types += (types.empty() ? "" : ", ") + toString(a.type);
      throw CallFailure{TESSEL_ERROR_VALUE,
                        "'" + name + "' takes " +
                            std::to_string(arguments.size()) + " arguments (" +
                            types + "), got " + std::to_string(n)};
    }
    held.views.resize(n);
    held.shapes.resize(n);
    held.strides.resize(n);
    for (size_t i = 0; i < n; ++i) {
      py::object object = args[i];
      if (!PyObject_CheckBuffer(object.ptr())) {
        // torch tensors and other array-likes: tessel._as_buffer views them.
        object =
            py::module_::import("tessel").attr("_as_buffer")(object, where(i));
        held.converted.push_back(object);
      }
      Py_buffer &view = held.views[i];
      if (PyObject_GetBuffer(object.ptr(), &view,
                             PyBUF_STRIDES | PyBUF_FORMAT) != 0) {
        PyErr_Clear();
        throw CallFailure{TESSEL_ERROR_TYPE,
                          where(i) +
                              " must be an array with the buffer "
                              "protocol (e.g. numpy), got " +
                              std::string(Py_TYPE(object.ptr())->tp_name)};
      }
      ++held.held;
      TesselDType dtype;
      if (!dtypeOfFormat(view.format ? view.format : "B", view.itemsize,
                         arguments[i].dtype, dtype))
        throw CallFailure{TESSEL_ERROR_TYPE,
                          where(i) + " holds " +
                              toString(tesselDTypeGetName(arguments[i].dtype)) +
                              " elements, got buffer format '" +
                              std::string(view.format ? view.format : "B") +
                              "'"};
      if (dtype != arguments[i].dtype) {
        std::string message = where(i) + " holds " +
                              toString(tesselDTypeGetName(arguments[i].dtype)) +
                              " elements, got " +
                              toString(tesselDTypeGetName(dtype));
        if (arguments[i].dtype == TESSEL_DTYPE_BF16)
          message += " (numpy has no bfloat16: pass its bits as uint16, "
                     "e.g. tessel.to_bf16(x), or a torch.bfloat16 tensor)";
        throw CallFailure{TESSEL_ERROR_TYPE, message};
      }
      auto &shape = held.shapes[i];
      auto &strides = held.strides[i];
      shape.assign(view.shape, view.shape + view.ndim);
      if (view.strides) {
        strides.assign(view.strides, view.strides + view.ndim);
      } else { // C-contiguous
        strides.resize(view.ndim);
        int64_t s = view.itemsize;
        for (int d = view.ndim - 1; d >= 0; --d) {
          strides[d] = s;
          s *= shape[d];
        }
      }
      held.buffers.push_back({view.buf, dtype, view.ndim, shape.data(),
                              strides.data(), bool(view.readonly)});
    }
  }

  void call(const py::args &args) const {
    HeldBuffers held;
    hold(args, held);
    TesselError error;
    {
      py::gil_scoped_release release;
      error = tesselFunctionCall(fn, held.buffers.data(),
                                 intptr_t(held.buffers.size()));
    }
    check(error);
  }

  double bench(const py::args &args, unsigned samples) const {
    HeldBuffers held;
    if (args.size())
      hold(args, held);
    double seconds = 0;
    TesselError error;
    {
      py::gil_scoped_release release;
      error =
          tesselFunctionBench(fn, held.buffers.data(),
                              intptr_t(held.buffers.size()), samples, &seconds);
    }
    check(error);
    return seconds;
  }

  py::list describe() const {
    py::list out;
    for (const TesselArgument &a : arguments) {
      py::dict d;
      d["dtype"] = toString(tesselDTypeGetName(a.dtype));
      d["shape"] =
          py::tuple(py::cast(std::vector<int64_t>(a.shape, a.shape + a.rank)));
      d["strides"] = py::tuple(
          py::cast(std::vector<int64_t>(a.strides, a.strides + a.rank)));
      d["offset"] = a.offset;
      d["written"] = a.written;
      d["type"] = toString(a.type);
      out.append(d);
    }
    return out;
  }

  std::shared_ptr<Module> owner; // keeps the code alive
  TesselFunction fn;
  std::string name;
  std::vector<TesselArgument> arguments;
};

class Module {
public:
  explicit Module(TesselModule m) : module(m) {}
  ~Module() { tesselModuleDestroy(module); }
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;
  TesselModule module;
};

std::shared_ptr<Module> compile(const std::string &source,
                                const std::string &name,
                                const Options &options) {
  TesselCompileOptions c = options.toC();
  TesselModule module{nullptr};
  TesselError error;
  {
    py::gil_scoped_release release;
    error = tesselModuleCompile({source.data(), source.size()},
                                {name.data(), name.size()}, &c, &module);
  }
  check(error);
  return std::make_shared<Module>(module);
}

std::string explain(const std::string &source, const std::string &name,
                    const Options &options) {
  TesselCompileOptions c = options.toC();
  std::string text;
  TesselError error;
  {
    py::gil_scoped_release release;
    error = tesselExplain(
        {source.data(), source.size()}, {name.data(), name.size()}, &c,
        [](TesselStringRef piece, void *userData) {
          static_cast<std::string *>(userData)->append(piece.data,
                                                       piece.length);
        },
        &text);
  }
  check(error);
  return text;
}

py::dict databaseStats(const std::string &path) {
  py::dict out;
  check(tesselDatabaseGetStats(
      {path.data(), path.size()},
      [](const TesselDatabaseStats *s, void *userData) {
        py::dict &d = *static_cast<py::dict *>(userData);
        d["target"] = toString(s->target);
        d["producer"] = toString(s->producer);
        d["format_version"] = s->formatVersion;
        d["tables"] = s->tables;
        d["specs_solved"] = s->specsSolved;
        d["boxes"] = s->boxes;
        d["side_entries"] = s->sideEntries;
        d["file_bytes"] = s->fileBytes;
      },
      &out));
  return out;
}

/// Defines `pyName(source, name, target, threads, search_threads,
/// search_budget, db, ignore_db_mismatch, progress)` in `m`, calling
/// `run(source, name, options)` (tessel/__init__.py passes them by keyword).
template <typename Run>
void defineWithOptions(py::module_ &m, const char *pyName, Run run) {
  m.def(
      pyName,
      [run](const std::string &source, const std::string &name,
            const std::string &target, unsigned threads, unsigned searchThreads,
            py::object searchBudget, const std::string &db,
            bool ignoreDatabaseMismatch, py::object progress) {
        return run(source, name,
                   makeOptions(target, threads, searchThreads, searchBudget, db,
                               ignoreDatabaseMismatch, std::move(progress)));
      },
      py::arg("source"), py::arg("name"), py::arg("target"), py::arg("threads"),
      py::arg("search_threads"), py::arg("search_budget"), py::arg("db"),
      py::arg("ignore_db_mismatch"), py::arg("progress"));
}

} // namespace

PYBIND11_MODULE(_tessel, m) {
  m.doc() = "Tessel's native extension (use the tessel package)";
  errorType = PyErr_NewExceptionWithDoc(
      "tessel.Error",
      "A Tessel compilation or run failed; .diagnostics holds the located "
      "diagnostics, one line each.",
      PyExc_Exception, nullptr);
  m.add_object("Error", py::handle(errorType));
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p)
        std::rethrow_exception(p);
    } catch (const CallFailure &failure) {
      raise(failure);
    }
  });

  py::class_<Module, std::shared_ptr<Module>>(m, "_Module")
      .def_property_readonly("diagnostics",
                             [](const Module &self) {
                               return toString(
                                   tesselModuleGetDiagnostics(self.module));
                             })
      .def("why_not_callable",
           [](const Module &self, const std::string &name) {
             return toString(tesselModuleGetUncallableReason(
                 self.module, {name.data(), name.size()}));
           })
      .def("functions", [](std::shared_ptr<Module> self) {
        std::vector<Function> out;
        for (intptr_t i = 0, e = tesselModuleGetNumFunctions(self->module);
             i < e; ++i)
          out.emplace_back(self, tesselModuleGetFunction(self->module, i));
        return out;
      });

  py::class_<Function>(m, "Function",
                       "A compiled function: call it with one array per "
                       "argument (outputs are written in place).")
      .def("__call__", &Function::call)
      .def("bench", &Function::bench, py::arg("samples") = 5,
           "Best seconds of one call over `samples` timed batches, on the "
           "arrays given or on random ones of its own.")
      .def_readonly("name", &Function::name)
      .def_property_readonly(
          "flops",
          [](const Function &f) { return tesselFunctionGetFlops(f.fn); })
      .def_property_readonly("arguments", &Function::describe)
      .def("__repr__", [](const Function &f) {
        std::string types;
        for (const TesselArgument &a : f.arguments)
          types += (types.empty() ? "" : ", ") + toString(a.type);
        return "<tessel.Function " + f.name + "(" + types + ")>";
      });

  defineWithOptions(m, "compile", compile);
  defineWithOptions(m, "explain", explain);
  m.def("database_stats", &databaseStats, py::arg("path"));
  m.attr("version") = toString(tesselGetVersion());
}
