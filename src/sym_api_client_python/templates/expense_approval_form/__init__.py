"""The ExpenseBot sample: an expense report as a table and Elements forms."""
