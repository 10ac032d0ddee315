"""Labour arbitration, wage arrears and labour inspection visits (区人社局)."""
