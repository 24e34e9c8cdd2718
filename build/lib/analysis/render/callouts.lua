-- Quarto callouts for the built-in renderer (Quarto does its own).
-- ::: {.callout-note} with an optional first "## Title" or title="..." becomes
-- a titled div for HTML (styled by standalone.css) and a #callout box for
-- Typst (defined in template.typ).

local TITLES = {
  note = "Note", tip = "Tip", important = "Important", warning = "Warning", caution = "Caution",
}

local function callout_kind(div)
  for _, class in ipairs(div.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if TITLES[kind] then return kind end
  end
end

function Div(div)
  local kind = callout_kind(div)
  if not kind then return nil end
  local body = div.content:clone()
  local title
  if div.attributes.title then
    title = pandoc.Inlines(div.attributes.title)
  elseif body[1] and body[1].t == "Header" then
    title = body:remove(1).content
  else
    title = pandoc.Inlines(TITLES[kind])
  end

  if FORMAT:match("typst") then
    local out = pandoc.Blocks{ pandoc.RawBlock("typst", '#callout(kind: "' .. kind .. '")[') }
    out:insert(pandoc.Para{ pandoc.Strong(title) })
    out:extend(body)
    out:insert(pandoc.RawBlock("typst", "]"))
    return out
  end
  return pandoc.Div({
    pandoc.Div(pandoc.Plain(title), { class = "callout-title" }),
    pandoc.Div(body, { class = "callout-body" }),
  }, pandoc.Attr(div.identifier, { "callout", "callout-" .. kind }))
end
