"""From a question to a :class:`~bot.answers.reply.Reply`, and a Reply to each door's format."""
