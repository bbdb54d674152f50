"""The yearly update: `new-year` fill-in workbook, `import` of a filled one, `diff` of two years."""
