"""Administrative enforcement (行政执法): penalty cases under the three systems, the registers
behind them, and the machine review of case files."""
