"""Every user-visible pt-BR string of the core, in one place.

Formatting placeholders use ``str.format`` names. Texts here are plain (never HTML): the renderer
escapes them like any other text.
"""

from __future__ import annotations

EMPTY = "Mande um comando ou uma pergunta. Veja /ajuda."
INLINE_CUT = "Resposta cortada aqui: o resto não cabe no modo inline. Pergunte ao bot: {ask}"
"""Under an inline result whose answer is longer than one message (only its first part goes)."""
TOO_LONG = "Mensagem longa demais ({size} caracteres; o máximo é {limit}). Resuma a pergunta."
OUT_OF_RANGE = "A data {when} está fora do intervalo que o bot calcula ({first} a {last})."
INVALID_DATE = "Data inválida: “{date}” não existe (ex.: /agora <provedor> 30/11 22h)."
INVALID_HOUR = "Hora inválida: “{hour}” (use de 0h a 23h59, ex.: /agora <provedor> domingo 22h)."

UNKNOWN_COMMAND = "O comando /{command} não existe."
DID_YOU_MEAN = "Você quis dizer /{suggestion}?"
CHOOSE_COMMAND = "/{command} pode ser mais de um comando. Qual deles?"
SEE_HELP = "Veja a lista de comandos em /ajuda."

MISSING_PROVIDER = "Informe o provedor: /{command} <provedor>. Provedores:"
UNKNOWN_PROVIDER = "Provedor “{query}” não encontrado. Provedores atendidos:"
CHOOSE_PROVIDER = "Qual provedor?"
CHOOSE_EQUIPMENT = "Mais de um equipamento parecido com “{query}”. Qual deles?"
CHOOSE_TOPIC = "Não ficou claro o assunto. Qual destes?"
OTHER_TOPICS = "Não é {topic}? Pode ser {others}: últimos botões."
SECTIONS_TITLE = "{provider} › {first} + {second}"
SECTIONS_HINT = "A pergunta toca os dois assuntos; a resposta completa de cada um está nos botões."
SECTIONS_BUTTON = "{title} (completo)"
LOOKALIKE = (
    "{name} não é um provedor atendido pela UPCALL. Segundo o documento da {provider}, "
    "clientes de {name} às vezes ligam por engano:"
)
LOOKALIKE_BESIDE = (
    "{name} não é um provedor atendido pela UPCALL: clientes dela ligam por engano (documento "
    "da {provider})."
)
NOT_SERVED = "{name} não é um provedor atendido pela UPCALL."
NOT_SERVED_LIST = "Provedores atendidos: {names}."
NO_INFO = "O documento da {provider} não traz informação sobre {topic}."
NO_INFO_HINT = "Consulte o provedor no grupo ou veja /provedor {provider_id}."
UNANSWERED_NOTE = "Observações do documento:"
NOT_IN_DOCUMENT_BUTTON = "{provider} (documento não traz)"
"""The button of an ISP, in a "which ISP?" menu, whose document is silent on the topic."""
NOT_IN_DOCUMENT = "O documento da {names} não traz {topic}."
NOT_IN_DOCUMENTS = "Os documentos de {names} não trazem {topic}."

EQUIPMENT_UNKNOWN = "Equipamento “{query}” não encontrado na {provider}. Equipamentos cadastrados:"
EQUIPMENT_NOT_LISTED = "O modelo “{query}” não está na tabela de senhas do documento da {provider}."
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
GREETING_HELLO = "Olá!"
GREETING_THANKS = "De nada!"
GREETING_BYE = "Até mais!"
GREETING_NOTED = "Certo!"
GREETING_HINT = "Pergunte, por exemplo, “{example}” ou use /ajuda."
GREETING_HELP = "Use /ajuda para ver o que perguntar."

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
    "/buscar <texto> — procura a resposta a partir de uma pergunta, também dentro dos textos\n"
    "/agora [provedor] — quem a UPCALL cobre agora (e quais setores do provedor estão abertos)\n"
    "/escala [dia] — cobertura de um dia (hoje, amanhã, seg..dom ou DD/MM) ou da semana "
    "(/escala semana), com imagem\n"
    "/versao — versão da base de conhecimento que está respondendo\n"
    "/ajuda — esta ajuda"
)
HELP_TOPIC_LINE = "/{command} — {description}"

# --------------------------------------------------------------------------- coverage (/agora...)

WEEKDAY_SHORT = ("seg", "ter", "qua", "qui", "sex", "sáb", "dom")
HOLIDAYS_WORD = "feriados"
HOLIDAY_EVE_WORDS = "véspera de feriado"
TODAY = "hoje"
TOMORROW = "amanhã"
YESTERDAY = "ontem"
NEXT_DAY = "do dia seguinte"
WHOLE_DAY = "24h"
LOCAL_CLOCK = "{here} ({there} no horário local)"
UPCALL_CLOCK = "{here} ({there} em Brasília)"
MODE_FULL = "cobertura total"
MODE_OVERFLOW = "só transbordo"
MODE_OPEN = "aberto"

NOW_TITLE = "Cobertura da UPCALL agora — {when} (horário de Brasília)"
NOW_COVERED = "{mode} até {until}"
NOW_COVERED_NO_END = "{mode}, sem fim nos próximos dias"
NOW_THEN = "; depois {mode}"
NOW_ENDS = "; a cobertura termina {ends}"
NOW_NOT_COVERED = "fora da cobertura; começa {start}"
NOW_NOT_COVERED_NO_START = "fora da cobertura, sem início nos próximos dias"
NOW_UNMODELLED = "horário da UPCALL não cadastrado (veja /horario {id})"
NOW_HOLIDAY = "Hoje é feriado para {provider}: {name}."
NOW_HOLIDAY_CONFIRM = (
    "O documento manda confirmar no grupo a cobertura neste feriado: o horário mostrado é o do "
    "dia da semana."
)
NOW_PROVIDER_TITLE = "{provider} — agora, {when} (horário de Brasília)"
NOW_UPCALL = "UPCALL: {state}."
NOW_SECTORS = "Setores do provedor (agora são {local} no horário local):"
SECTOR_OPEN = "aberto até {until}"
MIDNIGHT = "a meia-noite"
MIDNIGHT_LOCAL = "a meia-noite ({there} no horário local)"
SECTOR_OPEN_NO_END = "aberto"
SECTOR_CLOSED = "fechado; abre {start}"
SECTOR_CLOSED_NO_START = "fechado, sem abertura nos próximos dias"
GUIDE_SOME_OPEN = (
    "Setor aberto: dentro do horário dele, transferir. Setor fechado: fora do horário, "
    "abrir OS/ocorrência conforme as regras do provedor (veja /setores {id})."
)
GUIDE_ALL_CLOSED = (
    "Nenhum setor do provedor está aberto agora: não transferir; abrir OS/ocorrência conforme "
    "as regras do provedor (veja /setores {id})."
)
GUIDE_ALL_CLOSED_STATED = (
    "Nenhum setor do provedor está aberto nesse momento: não transferir; abrir OS/ocorrência "
    "conforme as regras do provedor (veja /setores {id})."
)
GUIDE_NO_SECTORS = "O documento não traz o horário dos setores do provedor (veja /setores {id})."

HOURS_TITLE = "{provider} › {title}"
HOURS_UPCALL = "Janelas da UPCALL (horário de Brasília, GMT -3):"
HOURS_UPCALL_LOCAL = (
    "Janelas da UPCALL (horário de Brasília, GMT -3; entre parênteses o horário local do "
    "provedor, {zone}):"
)
HOURS_HOLIDAYS_ADD = "Feriados ({where}): além do horário do dia da semana, {windows}."
HOURS_HOLIDAYS_REPLACE = "Feriados ({where}): só {windows}."
HOURS_HOLIDAYS_NONE = "Feriados ({where}): seguem o horário do dia da semana."
HOURS_HOLIDAYS_WHERE = "nacionais e de {state}"
HOURS_HOLIDAYS_EXTRA = "; e também {dates}"
HOURS_SECTORS = "Horários do provedor (horário local, {zone}):"
HOURS_SECTORS_UPCALL = (
    "Horários do provedor (horário local, {zone}; entre parênteses o horário de Brasília):"
)
HOURS_SECTOR_CLOSED = "sem horário informado"
HOURS_SECTOR_HOLIDAY_CLOSED = "fechado em feriados"
HOURS_SECTOR_HOLIDAY_NORMAL = "feriados como dia comum"
HOURS_UNTIL_DAY = "até {day} {time}"

SCHEDULE_TITLE = "Escala da UPCALL — {day} (horário de Brasília)"
SCHEDULE_NONE = "sem cobertura"
SCHEDULE_HOLIDAY = "feriado: {name}"
SCHEDULE_LOCAL = " [horário local do provedor: {hours}h]"
SCHEDULE_USAGE = (
    "Não entendi o dia “{query}”. Use /escala, /escala amanhã, /escala sex, /escala 25/12 ou "
    "/escala semana."
)
SCHEDULE_WEEK_TITLE = "Escala da UPCALL — {first} a {last} (horário de Brasília)"
SCHEDULE_WEEK_BEFORE = "◀ semana anterior"
SCHEDULE_WEEK_AFTER = "próxima semana ▶"
TIMELINE_TITLE = "Escala da UPCALL — {span}"
TIMELINE_ZONE = "horário de Brasília (GMT -3)"
TIMELINE_LOCAL = "horário local {hours}h"
TIMELINE_UNMODELLED = "sem escala cadastrada"
TIMELINE_BAR = "{start}–{end}"
TIMELINE_BAR_UNTIL = "até {end}"
TIMELINE_BAR_FROM = "desde {start}"
TIMELINE_BAR_ALL_DAY = "o dia todo"
TIMELINE_NOW = "agora"

# --------------------------------------------------------------------------- knowledge updates

VERSION_TITLE = "Versão da base de conhecimento"
VERSION_COMMIT = (
    "Commit {short} de {date} (horário de Brasília), por {author}.\n"
    "Descrição do commit, como escrita no git: “{subject}”"
)
VERSION_NO_GIT = "A base não está num repositório git (sem commit para mostrar)."
VERSION_LOADED = (
    "Carregada em {loaded} (horário de Brasília) · {providers} provedores, {topics} tópicos."
)
CHANGELOG_TITLE = "Base de conhecimento atualizada"
CHANGELOG_COMMIT = "Commit {short} de {author}: {subject}"
CHANGELOG_LOCAL = "Alteração local, sem commit."
VERSION_LOCAL = (
    "Alteração local, sem commit (sobre o commit {short} de {date}, descrito no git como "
    "“{subject}”)."
)
CHANGELOG_MORE = "… e mais {count} alteração(ões)."
CHANGELOG_FIXED = "A base voltou a carregar sem erros: a versão nova já está respondendo."
BROKEN_TITLE = "Base de conhecimento com erro: a versão anterior continua respondendo"
BROKEN_MORE = "… e mais {count} problema(s). Rode `upcall-bot kb validate` para ver todos."
RELOAD_LOADED = "Base recarregada: {count} alteração(ões)."
RELOAD_UNCHANGED = "Base recarregada: nada mudou."
RELOAD_BROKEN = "A base tem erros; a versão anterior continua respondendo."
RELOAD_SUPERVISORS_ONLY = "Só supervisores podem usar /recarregar."
HELP_SUPERVISORS = (
    "Supervisores: /recarregar (recarrega a base agora), "
    "/lacunas [dias] (perguntas que o bot não soube responder), "
    "/auditoria [provedor] (credenciais entregues)."
)
HELP_CONSOLE = (
    "No console: você é o supervisor local (os comandos de supervisor funcionam aqui); "
    "digite o número de uma opção para escolhê-la; ↑/↓ repetem perguntas anteriores; "
    "sair ou Ctrl-D encerra."
)

# --------------------------------------------------------------------------- shift-change notices

NOTICE_MODE_FULL = "cobertura total"
NOTICE_MODE_OVERFLOW = "somente transbordo"
NOTICE_OPEN = "a UPCALL assume o atendimento ({mode})"
NOTICE_CLOSE = "a UPCALL encerra o atendimento"
NOTICE_TO_OVERFLOW = "a UPCALL passa a somente transbordo"
NOTICE_TO_FULL = "a UPCALL volta à cobertura total"
NOTICE_TITLE = "{icon} {provider}: {what}"
NOTICE_LEAD_TITLE = "⏰ {provider}: em {minutes} min {what}"
NOTICE_LATE = " (atrasado: {time})"
NOTICE_WHEN = "Quando: {when}."
NOTICE_UNTIL = "{mode} até {until}"
NOTICE_NEXT = "Próxima cobertura: {start}"
NOTICE_NEXT_UNTIL = "{words}, até {end}"
NOTICE_NO_NEXT = "Sem nova cobertura nos próximos dias."
NOTICE_CHANNELS = "Canais: {channels}"
NOTICE_SYSTEMS = "Sistemas: {systems}"
NOTICE_SECTORS = "Setores do provedor {when}:"
NOTICE_TRANSFER = "transferir"
NOTICE_OPEN_OS = "abrir OS"
NOTICE_GUIDE = (
    "Transferir só para setor aberto; com o setor fechado, abrir OS/ocorrência conforme as "
    "regras do provedor (veja /setores {id})."
)
NOTICE_HOLIDAY = "Feriado para {provider}: {name}."

# --------------------------------------------------------------------------- credentials policy

CREDENTIALS_WITHHELD = (
    "Esta resposta contém senhas ou logins e não é enviada em grupos. Peça no privado do bot: {ask}"
)
CREDENTIALS_WILL_DELETE = "Esta mensagem com credenciais será apagada em {seconds} s."
AUDIT_TITLE = "Auditoria de credenciais{suffix}"
AUDIT_EMPTY = "Nenhuma credencial entregue ainda."
AUDIT_LINE = "{at} · {user} ({user_id}) · {chat} · {what}{withheld}"
AUDIT_WITHHELD = " · retida (grupo)"
AUDIT_NOT_SENT = " · não entregue (falha no envio)"
AUDIT_PARTLY_SENT = " · entregue em parte ({sent} de {parts} mensagens; falha no envio)"
AUDIT_SUPERVISORS_ONLY = "Só supervisores podem usar /auditoria."

# --------------------------------------------------------------------------- free text and /buscar

UNSURE = "Não tenho certeza do que você procura em “{query}”. Os assuntos mais próximos:"
UNSURE_PROVIDER = "Não tenho certeza do assunto sobre {provider} em “{query}”. Os mais próximos:"
SEARCH_TITLE = "Trechos dos documentos que citam “{query}”:"
SEARCH_NONE_PROVIDER = "Nada sobre “{query}” no documento da {provider}."
SEARCH_HINT = "Escolha uma das opções para ver o assunto completo."
SEARCH_NOTE = "Observação da base (não é texto do provedor):"
SEARCH_MODELS = "Equipamentos com senha cadastrada:"

# --------------------------------------------------------------------------- unanswered questions

GAPS_TITLE = "Perguntas sem resposta — últimos {days} dias"
GAPS_WEEKLY_TITLE = "Resumo semanal: perguntas sem resposta ({first} a {last})"
GAPS_NONE = "Nenhuma pergunta sem resposta no período."
GAPS_PROVIDER = "{provider} — {count} pergunta(s)"
GAPS_NO_PROVIDER = "Provedor não identificado"
GAPS_LINE = "{count}× “{text}” — {reason}; última {last}"
GAPS_GUESS = " (palpite: {guess})"
GAPS_MORE = "… e mais {count} pergunta(s) diferentes."
GAPS_HINT = (
    "Para que o bot entenda: acrescente palavras-chave ou vocabulário em knowledge/topics.yaml; "
    "se falta o fato, ele vem do provedor para o YAML dele."
)
GAPS_USAGE = "Use /lacunas ou /lacunas <dias> (por exemplo /lacunas 30)."
GAPS_SUPERVISORS_ONLY = "Só supervisores podem usar /lacunas."
GAP_REASONS = {
    "not_understood": "não entendida",
    "unsure": "entendida com dúvida",
    "search": "só trechos encontrados",
    "no_info": "o documento não traz",
    "unknown_equipment": "equipamento não cadastrado",
}

# Posting (bot/posting, handlers/*/door.py)
NOTICE_CHAT_MIGRATED = (
    "O grupo de avisos {old} virou supergrupo e agora tem o id {new}: os avisos seguem para ele. "
    "Atualize NOTICE_CHAT_ID={new} na configuração do bot."
)

# --------------------------------------------------------------------------- WhatsApp

CHOOSE_BY_NUMBER = "Responda a esta mensagem com o número da opção."
CHOICE_OUT_OF_RANGE = "Não há opção {number}: responda com um número de 1 a {count}."

# --------------------------------------------------------------------------- reader, second round
CLOCK_LINE = "⏱ {sector}: {state} → {action}"
CLOCK_TRANSFER = "transferir"
CLOCK_CLOSED_DEFAULT = "não transferir; abrir OS/ocorrência conforme as regras do provedor"
CONTEXT_WHY = "{names} → {provider}"
FOLLOWUP_WHY = "mensagem respondida → {what}"
"""Under the title of an answer whose ISP or topic came from the bot's message the agent
replied to ("e a senha?" under Mutum's DNS: Mutum; "e o da vmnet?": the DNS)."""
CONTEXT_CHOOSE = "{names} aparece no documento de mais de um provedor. Qual?"
WHOIS_TITLE = "Quem atende {place}"
WHOIS_LINE = "• {provider}: {coverage}"
WHOIS_NONE = "Nenhum provedor da base cita “{place}”. Cidades e bairros de cada um:"
UNDERSTOOD_COMMAND = "Entendi /{typed} como /{command}."
LONG_READ = "Mensagem longa: li a pergunta “{question}”."
WHOIS_UNKNOWN = "o documento não lista cidades"
CLOCK_MARK = "⏱ "
CLOCK_NOW = CLOCK_MARK + "Agora: "
CLOCK_SECTORS = CLOCK_NOW + "{states} (veja /agora {id})"
CLOCK_COVERAGE = CLOCK_NOW + "UPCALL {state} (veja /agora {id})"
CLOCK_STATED = CLOCK_MARK + "No momento informado, {moment}: {line}"
"""A clock line at the moment the question states ("domingo 10h") instead of now."""
CLOCK_DAY = (
    CLOCK_MARK
    + "No dia informado, {day}: UPCALL {windows} (horário de Brasília; veja /escala {date})"
)
"""A question about UPCALL's coverage on a day by itself ("vmnet amanhã é com a gente?")."""
STATED_MOMENT = "{day} às {clock}"
STATED_CHOICE = CLOCK_MARK + "No momento informado, {moment}: os botões respondem nesse momento."
"""Under "Informe o provedor" when the question stated a moment ("domingo 22h é com a gente?")."""
STATED_LOCAL = "{day} às {clock} no horário local ({upcall} em Brasília)"
STATED_UPCALL = "{day} às {clock} no horário de Brasília ({local} no horário local)"
STATED_UPCALL_DEFAULT = (
    "{day} às {clock} no horário de Brasília ({local} no horário local; se a hora era a do"
    " provedor, escreva “horário deles”)"
)
STATED_HOLIDAY = "{day} ({name})"
VERDICT_MORE = (
    "UPCALL na {weekday} (horário de Brasília): {windows}. Horário completo: /horario {id};"
    " o dia: {day}"
)
NOW_PROVIDER_STATED_TITLE = "{provider} — no momento informado, {when} (horário de Brasília)"
NOW_SECTORS_STATED = "Setores do provedor (nesse momento são {local} no horário local):"
CLOSED_RULES = "Regra do documento para setor fechado:"
CLOCK_OPEN = "aberto, fecha {until}"
CLOCK_CLOSED = "fechado, abre {start}"
