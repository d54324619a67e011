from symptomatic import Checker, Finding

checker = Checker()  # loads and compiles the packaged knowledge base once
result = checker.check(
    age=30,
    sex="female",
    findings=[Finding("fever"), Finding("cough"), Finding("sore-throat", "absent")],
)
top = result.differential[0]
print(top.name, top.probability)  # the most likely condition and its calibrated chance
print(result.triage.level)  # emergency_ambulance ... self_care
print(result.summary)  # the plain-language answer
data = result.to_dict()  # the JSON shape shared with the CLI and the HTTP API

# Free text, English or French, combines with structured findings:
result = checker.check(age=30, text="my throat's killing me, runny nose, no fever")
print([(f.evidence, f.status, f.span) for f in result.findings])
