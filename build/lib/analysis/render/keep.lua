-- Quoted evidence stays on one page in Typst output.  Shared by Quarto
-- (_quarto.yml `filters:`) and the built-in renderer.
--
-- The briefing wraps each quote (Arabic, translation, citation) in
-- ::: {.quote}; pandoc's Typst writer would make it a breakable block.

if not FORMAT:match("typst") then
  return {}
end

function Div(div)
  if not div.classes:includes("quote") then return nil end
  local out = pandoc.Blocks{ pandoc.RawBlock("typst",
    '#block(breakable: false, width: 100%, inset: (left: 8pt, y: 4pt), stroke: (left: 1.5pt + luma(75%)))[') }
  out:extend(div.content)
  out:insert(pandoc.RawBlock("typst", "]"))
  return out
end
