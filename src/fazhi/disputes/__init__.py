"""Administrative disputes (行政复议、行政应诉): the reconsideration and litigation case types'
hooks, reads, console page and synthetic 2023 data."""
