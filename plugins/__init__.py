"""The built-in plugins.

They use the same hooks as third-party plugins and are registered from the tuple
`service.plugins.BUILTIN_PLUGINS`; each can be switched off with `PLUGINS_BLOCKED`.
"""
