resource "anthropic_workspace" "w" {
  name   = range(-1e308, 1.5e-320, 1.5e-320)
  models = [range(-1e308, 1.5e-320, 1.5e-320)]
}
