# The subject access page downloads a file only on POST; GET is the form and the list of requests.
SAMPLES = {"web:subject-access": lambda ctx: {}}
