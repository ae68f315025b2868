# nbgrader configuration of the classroom edition. Run every nbgrader command from this
# folder (or from a copy of it holding this file and source/): see README.md.
c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.course_id = "dnn-from-scratch"
# the gradebook is a SQLite file next to this one (the default); nothing needs a network
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
# what a student sees where a solution was
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# Only for nbgrader's own autograde/validate (kernels running whole notebooks): the cat classifier
# trains two networks in a few seconds; 300 s per cell leaves room for a slow machine.
# classroom/grade.py does not use it: it runs only the
# graded test cells, 10 s per cell (--cell-timeout), 90 s per submission (--submission-timeout).
c.Execute.timeout = 300
# the student edition of dnn_utils.py (source/<assignment>/dnn_utils.py) is copied over
# whatever a student submits, so every submission is graded with the same helpers
