"""The builders of the cat / non-cat dataset, each a module with a console command.

=====================  ========================  =============================================
module                 command                   what it does
=====================  ========================  =============================================
``make_catvnoncat``    ``dnn-make-catvnoncat``   draws the synthetic dataset (the shipped one)
``build_from_photos``  ``dnn-build-from-photos`` builds the dataset from your own photos
``baselines``          ``dnn-baselines``         the baseline table of datasets/README.md
``make_preview``       ``dnn-make-preview``      the picture of the first training images
=====================  ========================  =============================================

Each also runs as ``python -m dnnlib.datasets.<module>``. They read the shipped dataset
wherever the project is (a clone or an installed copy) and write only where they are
told (``--out``, ``--write``): see each command's ``--help``.
"""
