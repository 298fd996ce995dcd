;; Declares 1000 initial pages (62.5 MiB), beyond the 16-page cap: deploy must be rejected.
(module
  (memory (export "memory") 1000)
  (func (export "run")))
