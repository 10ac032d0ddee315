"""Consumer complaints, reports and themed campaigns (区市场监督管理局 and its stations)."""
