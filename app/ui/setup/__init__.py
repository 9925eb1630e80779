"""The secretariat's set-up of a call: editor, import, admissibility,
enrolment, publication."""
