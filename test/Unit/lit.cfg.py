# The GoogleTest unit tests under unittests/, run by lit so that one command
# runs and counts every test.
import os

import lit.formats

config.name = "Tessel-Unit"
config.suffixes = []
config.test_source_root = os.path.join(config.tessel_obj_root, "unittests")
config.test_exec_root = config.test_source_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
