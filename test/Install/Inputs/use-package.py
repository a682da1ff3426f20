# Imports the tessel package found on PYTHONPATH and multiplies with it.
import numpy as np
import tessel

print(tessel.__file__)
c = tessel.matmul(np.ones((5, 3), np.float32), np.ones((3, 4), np.float32))
print("matmul", c.shape, c.min(), c.max())
