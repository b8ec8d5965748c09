"""Every user-visible pt-BR string of the core, in one place.

Formatting placeholders use ``str.format`` names. Texts here are plain (never HTML): the renderer
escapes them like any other text.
"""

from __future__ import annotations

EMPTY = "Mande um comando ou uma pergunta. Veja /ajuda."
TOO_LONG = "Mensagem longa demais ({size} caracteres; o máximo é {limit}). Resuma a pergunta."

UNKNOWN_COMMAND = "O comando /{command} não existe."
DID_YOU_MEAN = "Você quis dizer /{suggestion}?"
SEE_HELP = "Veja a lista de comandos em /ajuda."

MISSING_PROVIDER = "Informe o provedor: /{command} <provedor>. Provedores:"
UNKNOWN_PROVIDER = "Provedor “{query}” não encontrado. Provedores atendidos:"
CHOOSE_PROVIDER = "Qual provedor?"
CHOOSE_EQUIPMENT = "Mais de um equipamento parecido com “{query}”. Qual deles?"
CHOOSE_TOPIC = "Não ficou claro o assunto. Qual destes?"
LOOKALIKE = (
    "{name} não é um provedor atendido pela UPCALL. Segundo o documento da {provider}, "
    "clientes de {name} às vezes ligam por engano:"
)
NO_INFO = "O documento da {provider} não traz informação sobre {topic}."
NO_INFO_HINT = "Consulte o provedor no grupo ou veja /provedor {provider_id}."
UNANSWERED_NOTE = "Observações do documento:"

EQUIPMENT_UNKNOWN = "Equipamento “{query}” não encontrado na {provider}. Equipamentos cadastrados:"
EQUIPMENT_NONE = "O documento da {provider} não traz tabela de senhas por equipamento."
LOGIN = "usuário"
PASSWORD = "senha"
PASSWORDS = "senhas"
PORT = "porta"
NO_LOGIN = "sem usuário"
CREDENTIALS_WARNING = "Contém credenciais: não repasse ao cliente sem seguir a política acima."

NOT_UNDERSTOOD = "Não entendi a pergunta “{query}”."
NOT_UNDERSTOOD_HINT = (
    "Tente um comando, por exemplo: /dns mutum, /senha lasernet W5-1200G. Veja /ajuda."
)
PROVIDER_TOPICS = "Assuntos disponíveis para {provider}:"

PROVIDERS_TITLE = "Provedores atendidos pela UPCALL"
PROVIDER_LINE = "{name} — /provedor {id}"
PROVIDER_ALIASES = "também conhecido como: {aliases}"

CARD_TITLE = "{name} — ficha completa"
CARD_FACTS = "UF: {state} · fuso: {timezone} · sistemas: {systems} · canais: {channels}"
CARD_ALIASES = "Também conhecido como: {aliases}"
CARD_LOOKALIKES = "Não confundir (ligam por engano): {names}"
CARD_REVIEWED = "Revisado em {date}."
EQUIPMENT_TITLE = "Equipamentos e senhas padrão"

HELP_TITLE = "UPCALL — base de conhecimento dos provedores"
HELP_USAGE = (
    "Use /<assunto> <provedor>, por exemplo /dns mutum ou /bloqueio vmnet. "
    "Para senha de um equipamento: /senha lasernet W5-1200G. "
    "Ou pergunte em texto livre: “qual o dns da mutum?”."
)
HELP_TOPICS = "Assuntos:"
HELP_GENERAL = (
    "Gerais:\n"
    "/provedores — lista de provedores\n"
    "/provedor <provedor> — ficha completa do provedor\n"
    "/buscar <texto> — procura a resposta a partir de uma pergunta\n"
    "/ajuda — esta ajuda"
)
HELP_TOPIC_LINE = "/{command} — {description}"
