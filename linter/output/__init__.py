"""Everything that turns a Result into text: the output formats, the posture report, tables."""
