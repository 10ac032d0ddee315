"""The annual rule-of-law report (法治政府建设年度报告): its template as data, the draft drawn
from indicator values, findings and the narrative staff write, and its writers (.docx in
the GB/T 9704 layout, HTML, Markdown, PDF)."""
