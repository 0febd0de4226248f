"""Import and export of candidates, employers and vacancies as CSV and XLSX."""
