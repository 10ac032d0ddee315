"""The hotline's reads: the 统计 / 督办 / 地图 figures, 难点 orders, similar orders and
repeat-request rates, a grid worker's latest reports."""
