-- Table columns in Typst output size to their content.  Shared by Quarto
-- (_quarto.yml `filters:`) and the built-in renderer.
--
-- A pipe table with a long row gets fixed relative widths from its dashes,
-- which Typst keeps even when a short word ("Sentence", "002:s002") is wider
-- than its column: the word then runs into the next column.  Auto columns
-- are as wide as their content needs and share what is left.

if not FORMAT:match("typst") then
  return {}
end

-- Page 1's outlet table keeps the widths the briefing gave it (briefing.OUTLET_TABLE_WIDTHS): auto
-- columns share the page equally among long cells, squeezing the identity column it must fit in.
local FIXED = { ["tbl-outlets"] = true }

function Table(tbl)
  if FIXED[tbl.identifier] or tbl.classes:includes("fixed-widths") then return nil end
  local specs = {}
  for i, spec in ipairs(tbl.colspecs) do
    specs[i] = { spec[1], nil }
  end
  tbl.colspecs = specs
  return tbl
end
