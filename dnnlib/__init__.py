"""dnnlib: the library around the course.

The course itself, the functions a learner writes, is ``dnn_utils.py`` beside this
package. Everything else lives here, one responsibility a module:

=================  ==================================================================
``checks``         input checks at the boundary (``@checked``) and the seeds' handling
``initialization`` every kind of initialization: scales, seeds, dtypes
``training``       training feedback: divergence and stalls, watched around the course loop
``fast``           the fast path: the course's training, the same iterates, sooner
``data``           the cat / non-cat HDF5 pair, images, flattening
``files``          atomic writes; saving and loading parameters
``gradcheck``      gradient checking by centred finite differences
``plots``          cost curves, image grids, decision boundaries
``explore``        the callbacks behind the notebooks' widgets
``student``        the one loader of a learner's code (the exercises, the classroom, the grader)
``editions``       the generator of the exercise and classroom editions from notebooks/
``datasets``       the builders of the dataset (console commands)
=================  ==================================================================

``dnn_utils`` imports from here; only ``explore`` and ``datasets.baselines`` import
``dnn_utils`` back (they predict with the course's functions), and nothing imports them,
so there is no cycle (tests/test_package.py checks it).
"""
