"""What the bot does on its own initiative, for every configured door: shift-change notices, the
KB changelog and broken-KB alerts, the weekly gaps post, the delayed deletion of credential
answers. Written once, channel-neutral; delivered through :mod:`bot.app.doors`. See
docs/posting.md."""
