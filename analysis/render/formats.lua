-- Blocks for one output only.  Shared by Quarto (_quarto.yml `filters:`) and the
-- built-in renderer.  ::: {.html-only} (and [..]{.html-only}) never reach the PDF:
-- offsets, the analyst's changes box.  ::: {.print-only} never reaches the HTML:
-- the PDF's page-1 order, which the HTML shows elsewhere (unlike .pdf-only, which
-- the HTML keeps hidden for its figure ids).

local drop = FORMAT:match("typst") and "html-only" or (FORMAT:match("html") and "print-only" or nil)
local keep = drop == "html-only" and "print-only" or "html-only"

if not drop then
  return {}
end

return {
  {
    -- the kept one is unwrapped: its headings are the document's own (pandoc's contents list skips
    -- headings inside a div)
    Div = function(div)
      if div.classes:includes(drop) then return {} end
      if div.classes:includes(keep) and #div.classes == 1 and div.identifier == "" then return div.content end
    end,
    Span = function(span) if span.classes:includes(drop) then return {} end end,
    -- a number linking to the HTML's evidence explorer is plain text in print
    Link = function(link)
      if drop == "html-only" and link.classes:includes("evidence-link") then return link.content end
    end,
  },
}
