"""Community correction and resettlement (社区矫正、安置帮教): the type package of issue 13."""
