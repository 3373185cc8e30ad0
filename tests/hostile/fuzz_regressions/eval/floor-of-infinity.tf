resource "anthropic_workspace" "w" {
  name   = floor(1e400)
  models = [floor(1e400)]
}
