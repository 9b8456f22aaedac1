-- tools/pdf-output.lua — a pandoc filter for the PDF only: program output
-- (code blocks of class "output") is set as plain verbatim rather than as
-- highlighted code, so that chapters/header.tex can set it in a smaller type
-- (its lines, a trainer's summary or a sample, run longer than code's).
function CodeBlock(block)
  if block.classes:includes("output") then
    block.classes = {}
    return block
  end
end
